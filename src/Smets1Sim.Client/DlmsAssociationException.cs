using Smets1Sim.Dlms;
using Smets1Sim.Dlms.Acse;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Client;

/// <summary>
/// The server did not accept the association: the AARE result is a rejection, or the xDLMS initiate was refused with
/// a confirmedServiceError. Carries the AARE's diagnostic so the caller can tell a wrong key or mechanism
/// (authentication-failure, mechanism not recognised) from an unsupported context.
/// </summary>
public sealed class DlmsAssociationException : DlmsException
{
    /// <summary>Creates the exception.</summary>
    public DlmsAssociationException(
        AssociationResult result,
        AcseServiceUserDiagnostic? userDiagnostic,
        AcseServiceProviderDiagnostic? providerDiagnostic,
        ConfirmedServiceError? initiateError)
        : base(DlmsFailureKind.AssociationRefused, Describe(result, userDiagnostic, providerDiagnostic, initiateError))
    {
        Result = result;
        UserDiagnostic = userDiagnostic;
        ProviderDiagnostic = providerDiagnostic;
        InitiateError = initiateError;
    }

    /// <summary>The AARE result.</summary>
    public AssociationResult Result { get; }

    /// <summary>The acse-service-user diagnostic, when the AARE carried that alternative.</summary>
    public AcseServiceUserDiagnostic? UserDiagnostic { get; }

    /// <summary>The acse-service-provider diagnostic, when the AARE carried that alternative.</summary>
    public AcseServiceProviderDiagnostic? ProviderDiagnostic { get; }

    /// <summary>The confirmedServiceError carried in the AARE user-information, if any (e.g. pdu-size-too-short).</summary>
    public ConfirmedServiceError? InitiateError { get; }

    /// <summary>True when the server said rejected-transient: the same AARQ may be accepted later.</summary>
    public override bool IsTransient => Result == AssociationResult.RejectedTransient;

    /// <summary>
    /// True for an authentication-failure diagnostic: wrong keys, or (suite 0 servers cannot say which) an invocation
    /// counter the server has already seen under these keys.
    /// </summary>
    public bool IsAuthenticationFailure => UserDiagnostic == AcseServiceUserDiagnostic.AuthenticationFailure;

    private static string Describe(
        AssociationResult result,
        AcseServiceUserDiagnostic? user,
        AcseServiceProviderDiagnostic? provider,
        ConfirmedServiceError? initiateError)
    {
        string diagnostic = user is { } u ? $"acse-service-user diagnostic {u} ({(int)u})"
            : provider is { } p ? $"acse-service-provider diagnostic {p} ({(int)p})"
            : "no diagnostic";
        string initiate = initiateError is { } e ? $", xDLMS initiate refused: {e.ErrorType} value {e.Value}" : string.Empty;
        return $"the server did not accept the association: {result}, {diagnostic}{initiate}";
    }
}
