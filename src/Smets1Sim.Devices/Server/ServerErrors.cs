using Smets1Sim.Dlms.Acse;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Devices.Server;

// The server's error ladder (the model is Kestrel's stream-error versus connection-error exceptions). Each failure
// kind is one exception type that carries its DLMS reaction; DlmsServerSession.Handle maps them in one place:
//   AssociationRejectedException    -> AARE rejected with its diagnostic (no association)
//   DlmsServiceErrorException       -> exception-response; the association stays
//   DlmsSecurityException (wire)    -> abort the association; exception-response deciphering-error or IC error
//                                      (an AARQ that fails security: AARE rejected, authentication-failure)
//   DlmsProtocolException (wire)    -> exception-response service-unknown (an AARQ: AARE rejected)
//   ConnectionDropRequestedException -> drop the connection without answering (fault injection)
// Refusals the standard answers with a result code inside a normal response (an action-result, a
// data-access-result) are not errors here: the service returns them.

/// <summary>An AARQ the device refuses: answered with an AARE rejected with <see cref="Diagnostic"/>.</summary>
internal sealed class AssociationRejectedException : Exception
{
    public AssociationRejectedException(ApplicationContextName context, AcseServiceUserDiagnostic diagnostic, string reason, InitiateError? initiateError = null)
        : base(reason)
    {
        Context = context;
        Diagnostic = diagnostic;
        InitiateError = initiateError;
    }

    /// <summary>The application context the AARE names.</summary>
    public ApplicationContextName Context { get; }

    /// <summary>The ACSE service-user diagnostic of the AARE.</summary>
    public AcseServiceUserDiagnostic Diagnostic { get; }

    /// <summary>When the xDLMS InitiateRequest was refused: the initiate error the AARE carries.</summary>
    public InitiateError? InitiateError { get; }

    /// <summary>The AARE that answers the refused AARQ (Green Book 9.4).</summary>
    public byte[] ToAare() => RejectionAare(Context, Diagnostic, InitiateError);

    /// <summary>An AARE rejecting the association permanently.</summary>
    public static byte[] RejectionAare(ApplicationContextName context, AcseServiceUserDiagnostic diagnostic, InitiateError? initiateError = null) => new AareApdu
    {
        ApplicationContextName = context,
        Result = AssociationResult.RejectedPermanent,
        ServiceUserDiagnostic = diagnostic,
        UserInformation = initiateError is { } error ? (ReadOnlyMemory<byte>?)ConfirmedServiceError.ForInitiate(error).ToArray() : null,
    }.ToArray();
}

/// <summary>A request the association refuses as a whole: answered with an exception-response, the association stays.</summary>
internal sealed class DlmsServiceErrorException : Exception
{
    public DlmsServiceErrorException(ExceptionStateError state, ExceptionServiceError service, string reason)
        : base(reason)
    {
        StateError = state;
        ServiceError = service;
    }

    /// <summary>The state-error of the exception-response.</summary>
    public ExceptionStateError StateError { get; }

    /// <summary>The service-error of the exception-response.</summary>
    public ExceptionServiceError ServiceError { get; }

    /// <summary>The request was refused before the association was established or after it ended.</summary>
    public static DlmsServiceErrorException NotAssociated(string reason)
        => new(ExceptionStateError.ServiceNotAllowed, ExceptionServiceError.OperationNotPossible, reason);
}

/// <summary>Bytes of the replies the session builds itself.</summary>
internal static class ServerReplies
{
    /// <summary>The bytes of an exception-response (Green Book 9.3: state-error, service-error [, expected IC]).</summary>
    public static byte[] ExceptionResponseBytes(ExceptionStateError state, ExceptionServiceError service, uint? expectedInvocationCounter = null)
        => new ExceptionResponse { StateError = state, ServiceError = service, ExpectedInvocationCounter = expectedInvocationCounter }.ToArray();
}
