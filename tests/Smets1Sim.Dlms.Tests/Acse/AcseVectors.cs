using Smets1Sim.Dlms.Acse;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Dlms.Tests.Acse;

/// <summary>Known-good encodings (docs/dlms-wire.md section 4 and hand-built ones from section 3) and helpers.</summary>
internal static class AcseVectors
{
    // docs/dlms-wire.md 4: ciphered AARQ, LLS mechanism, glo-initiateRequest carrying a dedicated key.
    public const string CipheredAarq =
        "6066A109060760857405080103A60A04084D4D4D0000BC614E8A0207808B0760857405080201AC0A80083132333435363738"
        + "BE34043221303001234567801302FF8A7874133D414CED25B42534D28DB0047720606B175BD52211BE6841DB204D39EE6F"
        + "DB8E356855";

    // The glo-initiateRequest inside CipheredAarq's user-information.
    public const string CipheredAarqUserInformation =
        "21303001234567801302FF8A7874133D414CED25B42534D28DB0047720606B175BD52211BE6841DB204D39EE6FDB8E356855";

    // docs/dlms-wire.md 4: AARE with an HLS-GMAC challenge.
    public const string HlsGmacAare =
        "6142A109060760857405080101A203020100A305A10302010E88020780890760857405080205AA0A8008503677524A323146"
        + "BE10040E0800065F1F040000501F01F40007";

    // Built by hand from docs/dlms-wire.md 3 (AARQ for HLS-GMAC) with a plain InitiateRequest:
    //   60 42                                      AARQ, 66 content bytes
    //   A1 09 06 07 60 85 74 05 08 01 03           LN with ciphering
    //   A6 0A 04 08 4D 4D 4D 00 00 00 00 01        calling-AP-title = client system title
    //   8A 02 07 80                                sender-acse-requirements: authentication
    //   8B 07 60 85 74 05 08 02 05                 mechanism-name: HLS-GMAC
    //   AC 0A 80 08 4B 35 36 69 56 61 67 59        calling-authentication-value "K56iVagY"
    //   BE 10 04 0E                                user-information, OCTET STRING of 14
    //     01 00 00 00 06 5F 1F 04 00 00 7E 1F 04 B0   InitiateRequest
    public const string PlainHlsGmacAarq =
        "6042"
        + "A109060760857405080103"
        + "A60A04084D4D4D0000000001"
        + "8A020780"
        + "8B0760857405080205"
        + "AC0A80084B35366956616759"
        + "BE10040E"
        + "01000000065F1F0400007E1F04B0";

    public const string PlainInitiateRequest = "01000000065F1F0400007E1F04B0";

    // Dedicated key 000102..0F, response-allowed FALSE (01 00), quality-of-service -10 (01 F6), conformance 0x601F1F.
    public const string InitiateRequestWithKey =
        "010110" + "000102030405060708090A0B0C0D0E0F" + "0100" + "01F6" + "06" + "5F1F0400601F1F" + "0800";

    public const string HlsGmacInitiateResponse = "0800065F1F040000501F01F40007";

    public const string InitiateResponseWithQos = "0801FF065F1F0400FFFFFF00800007";

    public const string MinimalAarq = "600BA109060760857405080101";

    public const string MinimalAare = "6117A109060760857405080101A203020100A305A103020100";

    public const string Rlrq = "6203800100";

    public const string RlrqWithUserInformation = "620B800100BE0604040102030A";

    public const string Rlre = "6303800100";

    public const string RlreWithUserInformation = "630B800101BE0604040102030A";

    public const string EmptyRlrq = "6200";

    public const string InitiateConfirmedServiceError = "0E010601";

    public const string ServiceNotSupportedException = "D80102";

    public const string InvocationCounterException = "D8010601234568";

    /// <summary>Every decoder in the ACSE scope, by name.</summary>
    public static IReadOnlyList<(string Name, Func<byte[], object> Decode)> Decoders { get; } =
    [
        ("AARQ", b => AarqApdu.Decode(b)),
        ("AARE", b => AareApdu.Decode(b)),
        ("RLRQ", b => RlrqApdu.Decode(b)),
        ("RLRE", b => RlreApdu.Decode(b)),
        ("InitiateRequest", b => InitiateRequest.Decode(b)),
        ("InitiateResponse", b => InitiateResponse.Decode(b)),
        ("ConfirmedServiceError", b => ConfirmedServiceError.Decode(b)),
        ("ExceptionResponse", b => ExceptionResponse.Decode(b)),
    ];

    /// <summary>Every valid encoding with the decoder that accepts it.</summary>
    public static IReadOnlyList<(string Decoder, string Hex)> Valid { get; } =
    [
        ("AARQ", CipheredAarq),
        ("AARQ", PlainHlsGmacAarq),
        ("AARQ", MinimalAarq),
        ("AARQ", FullAarq().ToHex()),
        ("AARE", HlsGmacAare),
        ("AARE", MinimalAare),
        ("AARE", FullAare().ToHex()),
        ("RLRQ", Rlrq),
        ("RLRQ", RlrqWithUserInformation),
        ("RLRQ", EmptyRlrq),
        ("RLRE", Rlre),
        ("RLRE", RlreWithUserInformation),
        ("InitiateRequest", PlainInitiateRequest),
        ("InitiateRequest", InitiateRequestWithKey),
        ("InitiateResponse", HlsGmacInitiateResponse),
        ("InitiateResponse", InitiateResponseWithQos),
        ("ConfirmedServiceError", InitiateConfirmedServiceError),
        ("ExceptionResponse", ServiceNotSupportedException),
        ("ExceptionResponse", InvocationCounterException),
    ];

    /// <summary>Decodes with the named decoder.</summary>
    public static object Decode(string decoder, byte[] input) => Decoders.Single(d => d.Name == decoder).Decode(input);

    /// <summary>Re-encodes a decoded APDU.</summary>
    public static byte[] Encode(object apdu) => apdu switch
    {
        AarqApdu a => a.ToArray(),
        AareApdu a => a.ToArray(),
        RlrqApdu a => a.ToArray(),
        RlreApdu a => a.ToArray(),
        InitiateRequest a => a.ToArray(),
        InitiateResponse a => a.ToArray(),
        ConfirmedServiceError a => a.ToArray(),
        ExceptionResponse a => a.ToArray(),
        _ => throw new ArgumentException($"not an ACSE-scope APDU: {apdu.GetType()}", nameof(apdu)),
    };

    /// <summary>An AARQ with every optional field present.</summary>
    public static AarqApdu FullAarq() => new()
    {
        ProtocolVersion = new byte[] { 0x07, 0x80 },
        ApplicationContextName = ApplicationContextName.LogicalNameWithCiphering,
        CalledApTitle = Bytes("0102030405060708"),
        CalledAeQualifier = Bytes("AABB"),
        CalledApInvocationId = 1,
        CalledAeInvocationId = -2,
        CallingApTitle = Bytes("4D4D4D0000000001"),
        CallingAeQualifier = Bytes("CCDDEE"),
        CallingApInvocationId = 300,
        CallingAeInvocationId = 5,
        SenderAcseRequirements = true,
        MechanismName = AuthenticationMechanism.HlsGmac,
        CallingAuthenticationValue = Bytes("4B35366956616759"),
        ImplementationInformation = "Smets1Sim"u8.ToArray(),
        UserInformation = Bytes(PlainInitiateRequest),
    };

    /// <summary>An AARE with every optional field present.</summary>
    public static AareApdu FullAare() => new()
    {
        ProtocolVersion = new byte[] { 0x07, 0x80 },
        ApplicationContextName = ApplicationContextName.LogicalNameWithCiphering,
        Result = AssociationResult.Accepted,
        ServiceUserDiagnostic = AcseServiceUserDiagnostic.AuthenticationRequired,
        RespondingApTitle = Bytes("4D4D4D0000BC614E"),
        RespondingAeQualifier = Bytes("0102"),
        RespondingApInvocationId = 7,
        RespondingAeInvocationId = 128,
        ResponderAcseRequirements = true,
        MechanismName = AuthenticationMechanism.HlsGmac,
        RespondingAuthenticationValue = Bytes("503677524A323146"),
        ImplementationInformation = "sim"u8.ToArray(),
        UserInformation = Bytes(HlsGmacInitiateResponse),
    };

    public static byte[] Bytes(string hex) => Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));

    public static string ToHex(this AarqApdu apdu) => Convert.ToHexString(apdu.ToArray());

    public static string ToHex(this AareApdu apdu) => Convert.ToHexString(apdu.ToArray());

    /// <summary>Asserts that both are absent, or both present with equal bytes.</summary>
    public static void AssertBytes(ReadOnlyMemory<byte>? expected, ReadOnlyMemory<byte>? actual, string field)
    {
        Assert.AreEqual(expected.HasValue, actual.HasValue, $"{field}: presence");
        if (expected is { } e && actual is { } a)
        {
            Assert.AreEqual(Convert.ToHexString(e.Span), Convert.ToHexString(a.Span), field);
        }
    }

    /// <summary>Asserts a protocol exception (never another type) and, when given, its offset.</summary>
    public static DlmsProtocolException AssertMalformed(Func<byte[], object> decode, string hex, int? offset = null)
    {
        byte[] input = Bytes(hex);
        DlmsProtocolException ex = Assert.ThrowsExactly<DlmsProtocolException>(() => decode(input));
        if (offset is { } o)
        {
            Assert.AreEqual(o, ex.Offset, ex.Message);
        }

        return ex;
    }
}
