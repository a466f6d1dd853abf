using System.Buffers;
using Smets1Sim.Dlms.Primitives;

namespace Smets1Sim.Dlms.Acse;

/// <summary>
/// A-ASSOCIATE request (ISO/IEC 8650-1 / ITU-T X.227 AARQ-apdu, BER encoded, as profiled by the Green Book):
/// <code>
/// 60 len
///   [80 len protocol-version]          [A1 09 06 07 60 85 74 05 08 01 ctx]   (mandatory)
///   [A2 called-AP-title] [A3 called-AE-qualifier] [A4 called-AP-invocation-id] [A5 called-AE-invocation-id]
///   [A6 0A 04 08 calling-AP-title]     [A7 calling-AE-qualifier] [A8 calling-AP-invocation-id]
///   [A9 03 02 01 calling-AE-invocation-id]
///   [8A 02 07 80 sender-acse-requirements]   [8B 07 60 85 74 05 08 02 mech]
///   [AC len 80 len calling-authentication-value]   [9D len implementation-information]
///   [BE len 04 len user-information]
/// </code>
/// AP titles and AE qualifiers use the DLMS form 2 (an OCTET STRING); invocation identifiers are INTEGERs.
/// The user-information is kept raw: a plain InitiateRequest (0x01), a glo-initiateRequest (0x21) or a
/// general-glo-ciphering APDU (0xDB); deciphering it is the security layer's job.
/// </summary>
public sealed record AarqApdu
{
    /// <summary>[APPLICATION 0], constructed.</summary>
    public const byte Tag = 0x60;

    private const byte ProtocolVersionTag = 0x80;
    private const byte ApplicationContextNameTag = 0xA1;
    private const byte CalledApTitleTag = 0xA2;
    private const byte CalledAeQualifierTag = 0xA3;
    private const byte CalledApInvocationIdTag = 0xA4;
    private const byte CalledAeInvocationIdTag = 0xA5;
    private const byte CallingApTitleTag = 0xA6;
    private const byte CallingAeQualifierTag = 0xA7;
    private const byte CallingApInvocationIdTag = 0xA8;
    private const byte CallingAeInvocationIdTag = 0xA9;
    private const byte SenderAcseRequirementsTag = 0x8A;
    private const byte MechanismNameTag = 0x8B;
    private const byte CallingAuthenticationValueTag = 0xAC;
    private const byte ImplementationInformationTag = 0x9D;
    private const byte UserInformationTag = 0xBE;

    /// <summary>protocol-version bit string content (unused-bits byte first); null when absent (default version1).</summary>
    public ReadOnlyMemory<byte>? ProtocolVersion { get; init; }

    /// <summary>application-context-name (mandatory). Decoded as sent, so the session can answer "not supported".</summary>
    public required ApplicationContextName ApplicationContextName { get; init; }

    /// <summary>called-AP-title (OCTET STRING); null when absent.</summary>
    public ReadOnlyMemory<byte>? CalledApTitle { get; init; }

    /// <summary>called-AE-qualifier (OCTET STRING); null when absent.</summary>
    public ReadOnlyMemory<byte>? CalledAeQualifier { get; init; }

    /// <summary>called-AP-invocation-identifier; null when absent.</summary>
    public int? CalledApInvocationId { get; init; }

    /// <summary>called-AE-invocation-identifier; null when absent.</summary>
    public int? CalledAeInvocationId { get; init; }

    /// <summary>calling-AP-title: the client system title (8 bytes for ciphered contexts); null when absent.</summary>
    public ReadOnlyMemory<byte>? CallingApTitle { get; init; }

    /// <summary>calling-AE-qualifier (OCTET STRING, e.g. a client certificate); null when absent.</summary>
    public ReadOnlyMemory<byte>? CallingAeQualifier { get; init; }

    /// <summary>calling-AP-invocation-identifier; null when absent.</summary>
    public int? CallingApInvocationId { get; init; }

    /// <summary>calling-AE-invocation-identifier (the client user id when used); null when absent.</summary>
    public int? CallingAeInvocationId { get; init; }

    /// <summary>True when sender-acse-requirements selects the authentication functional unit (<c>8A 02 07 80</c>).</summary>
    public bool SenderAcseRequirements { get; init; }

    /// <summary>mechanism-name; null when absent. Decoded as sent, so the session can answer "not recognised".</summary>
    public AuthenticationMechanism? MechanismName { get; init; }

    /// <summary>calling-authentication-value (charstring): the LLS password or the HLS challenge CtoS; null when absent.</summary>
    public ReadOnlyMemory<byte>? CallingAuthenticationValue { get; init; }

    /// <summary>implementation-information (GraphicString) as raw bytes; null when absent.</summary>
    public ReadOnlyMemory<byte>? ImplementationInformation { get; init; }

    /// <summary>user-information: the encoded xDLMS InitiateRequest, plain or ciphered; null when absent.</summary>
    public ReadOnlyMemory<byte>? UserInformation { get; init; }

    /// <summary>Writes the BER encoding, every length in its shortest form.</summary>
    public void Encode(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Ber.WriteHeader(writer, Tag, ContentLength());
        AcseFields.WriteOptionalPrimitive(writer, ProtocolVersionTag, ProtocolVersion);
        AcseFields.WriteExplicitOid(writer, ApplicationContextNameTag, AcseFields.ApplicationContextArc, (byte)ApplicationContextName);
        AcseFields.WriteOptionalOctetString(writer, CalledApTitleTag, CalledApTitle);
        AcseFields.WriteOptionalOctetString(writer, CalledAeQualifierTag, CalledAeQualifier);
        AcseFields.WriteOptionalInteger(writer, CalledApInvocationIdTag, CalledApInvocationId);
        AcseFields.WriteOptionalInteger(writer, CalledAeInvocationIdTag, CalledAeInvocationId);
        AcseFields.WriteOptionalOctetString(writer, CallingApTitleTag, CallingApTitle);
        AcseFields.WriteOptionalOctetString(writer, CallingAeQualifierTag, CallingAeQualifier);
        AcseFields.WriteOptionalInteger(writer, CallingApInvocationIdTag, CallingApInvocationId);
        AcseFields.WriteOptionalInteger(writer, CallingAeInvocationIdTag, CallingAeInvocationId);
        if (SenderAcseRequirements)
        {
            AcseFields.WriteAcseRequirements(writer, SenderAcseRequirementsTag);
        }

        if (MechanismName is { } mechanism)
        {
            AcseFields.WriteImplicitOid(writer, MechanismNameTag, AcseFields.MechanismNameArc, (byte)mechanism);
        }

        if (CallingAuthenticationValue is { } authenticationValue)
        {
            AcseFields.WriteAuthenticationValue(writer, CallingAuthenticationValueTag, authenticationValue.Span);
        }

        AcseFields.WriteOptionalPrimitive(writer, ImplementationInformationTag, ImplementationInformation);
        AcseFields.WriteOptionalOctetString(writer, UserInformationTag, UserInformation);
    }

    /// <summary>The encoding as a new array.</summary>
    public byte[] ToArray() => DlmsWriter.ToArray(Encode);

    /// <summary>Decodes exactly one AARQ that fills <paramref name="input"/>.</summary>
    /// <exception cref="DlmsProtocolException">The bytes are not a well-formed AARQ.</exception>
    public static AarqApdu Decode(ReadOnlySpan<byte> input)
    {
        var reader = new DlmsReader(input);
        DlmsReader body = Ber.ReadElement(ref reader, Tag, "AARQ");
        reader.ExpectEnd("AARQ");

        // X.227: a SEQUENCE, so the elements come in tag order; each optional reader consumes only its own tag.
        var aarq = new AarqApdu
        {
            ProtocolVersion = AcseFields.ReadOptionalBitString(ref body, ProtocolVersionTag, "protocol-version"),
            ApplicationContextName = (ApplicationContextName)AcseFields.ReadExplicitOid(
                ref body, ApplicationContextNameTag, AcseFields.ApplicationContextArc, "application-context-name"),
            CalledApTitle = AcseFields.ReadOptionalOctetString(ref body, CalledApTitleTag, "called-AP-title"),
            CalledAeQualifier = AcseFields.ReadOptionalOctetString(ref body, CalledAeQualifierTag, "called-AE-qualifier"),
            CalledApInvocationId = AcseFields.ReadOptionalExplicitInteger(ref body, CalledApInvocationIdTag, "called-AP-invocation-id"),
            CalledAeInvocationId = AcseFields.ReadOptionalExplicitInteger(ref body, CalledAeInvocationIdTag, "called-AE-invocation-id"),
            CallingApTitle = AcseFields.ReadOptionalOctetString(ref body, CallingApTitleTag, "calling-AP-title"),
            CallingAeQualifier = AcseFields.ReadOptionalOctetString(ref body, CallingAeQualifierTag, "calling-AE-qualifier"),
            CallingApInvocationId = AcseFields.ReadOptionalExplicitInteger(ref body, CallingApInvocationIdTag, "calling-AP-invocation-id"),
            CallingAeInvocationId = AcseFields.ReadOptionalExplicitInteger(ref body, CallingAeInvocationIdTag, "calling-AE-invocation-id"),
            SenderAcseRequirements = AcseFields.ReadOptionalAcseRequirements(ref body, SenderAcseRequirementsTag, "sender-acse-requirements"),
            MechanismName = (AuthenticationMechanism?)AcseFields.ReadOptionalImplicitOid(
                ref body, MechanismNameTag, AcseFields.MechanismNameArc, "mechanism-name"),
            CallingAuthenticationValue = AcseFields.ReadOptionalAuthenticationValue(
                ref body, CallingAuthenticationValueTag, "calling-authentication-value"),
            ImplementationInformation = AcseFields.ReadOptionalPrimitive(ref body, ImplementationInformationTag, "implementation-information"),
            UserInformation = AcseFields.ReadOptionalOctetString(ref body, UserInformationTag, "user-information"),
        };
        AcseFields.ExpectNoMoreElements(ref body, "AARQ");
        return aarq;
    }

    // Computed before anything is written, so an unencodable value (an OID arc above 127) fails with the
    // writer untouched.
    private int ContentLength()
    {
        int length = AcseFields.ExplicitOidSize;
        AcseFields.CheckArc((byte)ApplicationContextName, nameof(ApplicationContextName));
        length += AcseFields.OptionalBitStringSize(ProtocolVersion, nameof(ProtocolVersion));
        length += AcseFields.OptionalOctetStringSize(CalledApTitle) + AcseFields.OptionalOctetStringSize(CalledAeQualifier);
        length += AcseFields.OptionalIntegerSize(CalledApInvocationId) + AcseFields.OptionalIntegerSize(CalledAeInvocationId);
        length += AcseFields.OptionalOctetStringSize(CallingApTitle) + AcseFields.OptionalOctetStringSize(CallingAeQualifier);
        length += AcseFields.OptionalIntegerSize(CallingApInvocationId) + AcseFields.OptionalIntegerSize(CallingAeInvocationId);
        length += SenderAcseRequirements ? AcseFields.AcseRequirementsSize : 0;
        if (MechanismName is { } mechanism)
        {
            AcseFields.CheckArc((byte)mechanism, nameof(MechanismName));
            length += AcseFields.ImplicitOidSize;
        }

        length += AcseFields.OptionalOctetStringSize(CallingAuthenticationValue);
        length += AcseFields.OptionalPrimitiveSize(ImplementationInformation);
        length += AcseFields.OptionalOctetStringSize(UserInformation);
        return length;
    }
}
