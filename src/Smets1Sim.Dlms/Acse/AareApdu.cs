using System.Buffers;
using Smets1Sim.Dlms.Primitives;

namespace Smets1Sim.Dlms.Acse;

/// <summary>
/// A-ASSOCIATE response (ISO/IEC 8650-1 / ITU-T X.227 AARE-apdu, BER encoded, as profiled by the Green Book):
/// <code>
/// 61 len
///   [80 len protocol-version]          A1 09 06 07 60 85 74 05 08 01 ctx   (mandatory)
///   A2 03 02 01 result                                                      (mandatory)
///   A3 05 A1 03 02 01 diag  (acse-service-user) | A3 05 A2 03 02 01 diag (acse-service-provider)  (mandatory)
///   [A4 0A 04 08 responding-AP-title] [A5 responding-AE-qualifier]
///   [A6 responding-AP-invocation-id]  [A7 responding-AE-invocation-id]
///   [88 02 07 80 responder-acse-requirements]   [89 07 60 85 74 05 08 02 mech]
///   [AA len 80 len responding-authentication-value]   [9D len implementation-information]
///   [BE len 04 len user-information]
/// </code>
/// Exactly one of <see cref="ServiceUserDiagnostic"/> and <see cref="ServiceProviderDiagnostic"/> is set.
/// The user-information is kept raw: an InitiateResponse (0x08), glo-initiateResponse (0x28), general-glo-ciphering
/// (0xDB), or a confirmedServiceError (0x0E, glo 0x2E) when the xDLMS initiate was refused.
/// </summary>
public sealed record AareApdu
{
    /// <summary>[APPLICATION 1], constructed.</summary>
    public const byte Tag = 0x61;

    private const byte ProtocolVersionTag = 0x80;
    private const byte ApplicationContextNameTag = 0xA1;
    private const byte ResultTag = 0xA2;
    private const byte ResultSourceDiagnosticTag = 0xA3;
    private const byte ServiceUserTag = 0xA1;
    private const byte ServiceProviderTag = 0xA2;
    private const byte RespondingApTitleTag = 0xA4;
    private const byte RespondingAeQualifierTag = 0xA5;
    private const byte RespondingApInvocationIdTag = 0xA6;
    private const byte RespondingAeInvocationIdTag = 0xA7;
    private const byte ResponderAcseRequirementsTag = 0x88;
    private const byte MechanismNameTag = 0x89;
    private const byte RespondingAuthenticationValueTag = 0xAA;
    private const byte ImplementationInformationTag = 0x9D;
    private const byte UserInformationTag = 0xBE;

    /// <summary>protocol-version bit string content (unused-bits byte first); null when absent (default version1).</summary>
    public ReadOnlyMemory<byte>? ProtocolVersion { get; init; }

    /// <summary>application-context-name (mandatory).</summary>
    public required ApplicationContextName ApplicationContextName { get; init; }

    /// <summary>result (mandatory).</summary>
    public required AssociationResult Result { get; init; }

    /// <summary>result-source-diagnostic when it comes from the ACSE service user; null otherwise.</summary>
    public AcseServiceUserDiagnostic? ServiceUserDiagnostic { get; init; }

    /// <summary>result-source-diagnostic when it comes from the ACSE service provider; null otherwise.</summary>
    public AcseServiceProviderDiagnostic? ServiceProviderDiagnostic { get; init; }

    /// <summary>responding-AP-title: the server system title; null when absent.</summary>
    public ReadOnlyMemory<byte>? RespondingApTitle { get; init; }

    /// <summary>responding-AE-qualifier (OCTET STRING, e.g. a server certificate); null when absent.</summary>
    public ReadOnlyMemory<byte>? RespondingAeQualifier { get; init; }

    /// <summary>responding-AP-invocation-identifier; null when absent.</summary>
    public int? RespondingApInvocationId { get; init; }

    /// <summary>responding-AE-invocation-identifier; null when absent.</summary>
    public int? RespondingAeInvocationId { get; init; }

    /// <summary>True when responder-acse-requirements selects the authentication functional unit (<c>88 02 07 80</c>).</summary>
    public bool ResponderAcseRequirements { get; init; }

    /// <summary>mechanism-name; null when absent.</summary>
    public AuthenticationMechanism? MechanismName { get; init; }

    /// <summary>responding-authentication-value (charstring): the HLS challenge StoC; null when absent.</summary>
    public ReadOnlyMemory<byte>? RespondingAuthenticationValue { get; init; }

    /// <summary>implementation-information (GraphicString) as raw bytes; null when absent.</summary>
    public ReadOnlyMemory<byte>? ImplementationInformation { get; init; }

    /// <summary>user-information: the encoded xDLMS InitiateResponse or ConfirmedServiceError, plain or ciphered.</summary>
    public ReadOnlyMemory<byte>? UserInformation { get; init; }

    /// <summary>Writes the BER encoding, every length in its shortest form.</summary>
    /// <exception cref="InvalidOperationException">Not exactly one diagnostic is set, or a name cannot be encoded.</exception>
    public void Encode(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Ber.WriteHeader(writer, Tag, ContentLength());
        AcseFields.WriteOptionalPrimitive(writer, ProtocolVersionTag, ProtocolVersion);
        AcseFields.WriteExplicitOid(writer, ApplicationContextNameTag, AcseFields.ApplicationContextArc, (byte)ApplicationContextName);
        AcseFields.WriteExplicitInteger(writer, ResultTag, (int)Result);
        (byte choiceTag, int diagnostic) = Diagnostic();
        Ber.WriteHeader(writer, ResultSourceDiagnosticTag, AcseFields.ExplicitIntegerSize(diagnostic));
        AcseFields.WriteExplicitInteger(writer, choiceTag, diagnostic);
        AcseFields.WriteOptionalOctetString(writer, RespondingApTitleTag, RespondingApTitle);
        AcseFields.WriteOptionalOctetString(writer, RespondingAeQualifierTag, RespondingAeQualifier);
        AcseFields.WriteOptionalInteger(writer, RespondingApInvocationIdTag, RespondingApInvocationId);
        AcseFields.WriteOptionalInteger(writer, RespondingAeInvocationIdTag, RespondingAeInvocationId);
        if (ResponderAcseRequirements)
        {
            AcseFields.WriteAcseRequirements(writer, ResponderAcseRequirementsTag);
        }

        if (MechanismName is { } mechanism)
        {
            AcseFields.WriteImplicitOid(writer, MechanismNameTag, AcseFields.MechanismNameArc, (byte)mechanism);
        }

        if (RespondingAuthenticationValue is { } authenticationValue)
        {
            AcseFields.WriteAuthenticationValue(writer, RespondingAuthenticationValueTag, authenticationValue.Span);
        }

        AcseFields.WriteOptionalPrimitive(writer, ImplementationInformationTag, ImplementationInformation);
        AcseFields.WriteOptionalOctetString(writer, UserInformationTag, UserInformation);
    }

    /// <summary>The encoding as a new array.</summary>
    public byte[] ToArray() => DlmsWriter.ToArray(Encode);

    /// <summary>Decodes exactly one AARE that fills <paramref name="input"/>.</summary>
    /// <exception cref="DlmsProtocolException">The bytes are not a well-formed AARE.</exception>
    public static AareApdu Decode(ReadOnlySpan<byte> input)
    {
        var reader = new DlmsReader(input);
        DlmsReader body = Ber.ReadElement(ref reader, Tag, "AARE");
        reader.ExpectEnd("AARE");

        ReadOnlyMemory<byte>? protocolVersion = AcseFields.ReadOptionalBitString(ref body, ProtocolVersionTag, "protocol-version");
        var context = (ApplicationContextName)AcseFields.ReadExplicitOid(
            ref body, ApplicationContextNameTag, AcseFields.ApplicationContextArc, "application-context-name");
        AssociationResult result = ReadResult(ref body);

        // Associate-source-diagnostic ::= CHOICE { acse-service-user [1], acse-service-provider [2] }, each an
        // EXPLICIT INTEGER, the whole under the EXPLICIT [3] of the AARE.
        AcseServiceUserDiagnostic? userDiagnostic = null;
        AcseServiceProviderDiagnostic? providerDiagnostic = null;
        DlmsReader diagnosticChoice = Ber.ReadElement(ref body, ResultSourceDiagnosticTag, "result-source-diagnostic");
        if (Ber.NextTagIs(ref diagnosticChoice, ServiceProviderTag))
        {
            int start = diagnosticChoice.AbsolutePosition;
            int value = AcseFields.ReadExplicitInteger(ref diagnosticChoice, ServiceProviderTag, "acse-service-provider diagnostic");
            providerDiagnostic = value is >= 0 and <= (int)AcseServiceProviderDiagnostic.NoCommonAcseVersion
                ? (AcseServiceProviderDiagnostic)value
                : throw new DlmsProtocolException($"unknown acse-service-provider diagnostic {value}", start);
        }
        else
        {
            int start = diagnosticChoice.AbsolutePosition;
            int value = AcseFields.ReadExplicitInteger(ref diagnosticChoice, ServiceUserTag, "acse-service-user diagnostic");
            userDiagnostic = value is >= 0 and <= (int)AcseServiceUserDiagnostic.AuthenticationRequired
                ? (AcseServiceUserDiagnostic)value
                : throw new DlmsProtocolException($"unknown acse-service-user diagnostic {value}", start);
        }

        diagnosticChoice.ExpectEnd("result-source-diagnostic");

        var aare = new AareApdu
        {
            ProtocolVersion = protocolVersion,
            ApplicationContextName = context,
            Result = result,
            ServiceUserDiagnostic = userDiagnostic,
            ServiceProviderDiagnostic = providerDiagnostic,
            RespondingApTitle = AcseFields.ReadOptionalOctetString(ref body, RespondingApTitleTag, "responding-AP-title"),
            RespondingAeQualifier = AcseFields.ReadOptionalOctetString(ref body, RespondingAeQualifierTag, "responding-AE-qualifier"),
            RespondingApInvocationId = AcseFields.ReadOptionalExplicitInteger(
                ref body, RespondingApInvocationIdTag, "responding-AP-invocation-id"),
            RespondingAeInvocationId = AcseFields.ReadOptionalExplicitInteger(
                ref body, RespondingAeInvocationIdTag, "responding-AE-invocation-id"),
            ResponderAcseRequirements = AcseFields.ReadOptionalAcseRequirements(
                ref body, ResponderAcseRequirementsTag, "responder-acse-requirements"),
            MechanismName = (AuthenticationMechanism?)AcseFields.ReadOptionalImplicitOid(
                ref body, MechanismNameTag, AcseFields.MechanismNameArc, "mechanism-name"),
            RespondingAuthenticationValue = AcseFields.ReadOptionalAuthenticationValue(
                ref body, RespondingAuthenticationValueTag, "responding-authentication-value"),
            ImplementationInformation = AcseFields.ReadOptionalPrimitive(ref body, ImplementationInformationTag, "implementation-information"),
            UserInformation = AcseFields.ReadOptionalOctetString(ref body, UserInformationTag, "user-information"),
        };
        AcseFields.ExpectNoMoreElements(ref body, "AARE");
        return aare;
    }

    private static AssociationResult ReadResult(ref DlmsReader body)
    {
        int start = body.AbsolutePosition;
        int value = AcseFields.ReadExplicitInteger(ref body, ResultTag, "result");
        return value is >= 0 and <= (int)AssociationResult.RejectedTransient
            ? (AssociationResult)value
            : throw new DlmsProtocolException($"unknown association result {value}", start);
    }

    private (byte ChoiceTag, int Value) Diagnostic() => (ServiceUserDiagnostic, ServiceProviderDiagnostic) switch
    {
        ({ } user, null) => (ServiceUserTag, (int)user),
        (null, { } provider) => (ServiceProviderTag, (int)provider),
        _ => throw new InvalidOperationException(
            "an AARE carries exactly one result-source-diagnostic: set either ServiceUserDiagnostic or ServiceProviderDiagnostic"),
    };

    // Computed before anything is written, so an unencodable record fails with the writer untouched.
    private int ContentLength()
    {
        AcseFields.CheckArc((byte)ApplicationContextName, nameof(ApplicationContextName));
        int length = AcseFields.OptionalBitStringSize(ProtocolVersion, nameof(ProtocolVersion));
        length += AcseFields.ExplicitOidSize;
        length += AcseFields.ExplicitIntegerSize((int)Result);
        length += Ber.ElementSize(AcseFields.ExplicitIntegerSize(Diagnostic().Value));
        length += AcseFields.OptionalOctetStringSize(RespondingApTitle) + AcseFields.OptionalOctetStringSize(RespondingAeQualifier);
        length += AcseFields.OptionalIntegerSize(RespondingApInvocationId) + AcseFields.OptionalIntegerSize(RespondingAeInvocationId);
        length += ResponderAcseRequirements ? AcseFields.AcseRequirementsSize : 0;
        if (MechanismName is { } mechanism)
        {
            AcseFields.CheckArc((byte)mechanism, nameof(MechanismName));
            length += AcseFields.ImplicitOidSize;
        }

        length += AcseFields.OptionalOctetStringSize(RespondingAuthenticationValue);
        length += AcseFields.OptionalPrimitiveSize(ImplementationInformation);
        length += AcseFields.OptionalOctetStringSize(UserInformation);
        return length;
    }
}
