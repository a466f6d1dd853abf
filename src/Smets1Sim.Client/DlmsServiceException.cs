using Smets1Sim.Dlms;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Client;

/// <summary>
/// The server refused a request with an xDLMS exception-response or confirmedServiceError instead of the service's
/// response. The association stays usable: the refusal is a well-formed reply.
/// </summary>
public sealed class DlmsServiceException : DlmsException
{
    /// <summary>Creates the exception for an exception-response.</summary>
    public DlmsServiceException(ExceptionResponse exceptionResponse)
        : base(DlmsFailureKind.ServiceRefused, Describe(exceptionResponse))
    {
        ExceptionResponse = exceptionResponse;
    }

    /// <summary>Creates the exception for a confirmedServiceError.</summary>
    public DlmsServiceException(ConfirmedServiceError confirmedServiceError)
        : base(DlmsFailureKind.ServiceRefused, Describe(confirmedServiceError))
    {
        ConfirmedServiceError = confirmedServiceError;
    }

    /// <summary>The exception-response the server sent, or null.</summary>
    public ExceptionResponse? ExceptionResponse { get; }

    /// <summary>The confirmedServiceError the server sent, or null.</summary>
    public ConfirmedServiceError? ConfirmedServiceError { get; }

    /// <summary>
    /// For invocation-counter-error, the invocation counter the server expects next; a head-end can continue from it
    /// in its next association.
    /// </summary>
    public uint? ExpectedInvocationCounter => ExceptionResponse?.ExpectedInvocationCounter;

    /// <summary>True for an exception-response invocation-counter-error: the request must go again with a higher IC.</summary>
    public bool IsInvocationCounterError => ExceptionResponse?.ServiceError == ExceptionServiceError.InvocationCounterError;

    /// <summary>
    /// Never as such: the same request is refused again. An invocation-counter error is cured by a new counter
    /// (<see cref="IsInvocationCounterError"/>), which the caller decides.
    /// </summary>
    public override bool IsTransient => false;

    private static string Describe(ExceptionResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        string expected = response.ExpectedInvocationCounter is { } ic ? $", the server expects invocation counter {ic}" : string.Empty;
        return $"the server answered with exception-response {response.StateError}/{response.ServiceError}{expected}";
    }

    private static string Describe(ConfirmedServiceError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return $"the server answered with confirmedServiceError {error.Service}/{error.ErrorType} value {error.Value}";
    }
}
