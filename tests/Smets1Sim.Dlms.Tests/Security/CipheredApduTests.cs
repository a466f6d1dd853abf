using System.Buffers;
using Smets1Sim.Dlms.Security;
using Smets1Sim.Tests.Shared;

namespace Smets1Sim.Dlms.Tests.Security;

[TestClass]
public sealed class CipheredApduTests
{
    private const string GetClockGeneralGlo30 =
        "DB084D4D4D0000BC614E1E3001234567411312FF935A47566827C467BC7D825C3BE4A77C3FCC056B6B";

    /// <summary>The InitiateRequest inside the AARQ vector: dedicated key 00112233..FF, conformance 007E1F, max PDU 1200.</summary>
    private const string AarqInitiateRequest = "01011000112233445566778899AABBCCDDEEFF0000065F1F0400007E1F04B0";

    /// <summary>Every valid ciphered APDU of docs/dlms-wire.md section 4, plus the general-glo form of the first.</summary>
    public static IEnumerable<object[]> ValidVectors =>
    [
        [Vectors.GetClockSc30],
        [Vectors.GetClockSc10],
        [Vectors.GetClockSc20],
        [Vectors.AarqGloInitiateRequest],
        [GetClockGeneralGlo30],
    ];

    [TestMethod]
    [DataRow((byte)0x30, Vectors.GetClockSc30, DisplayName = "AuthenticatedEncrypted")]
    [DataRow((byte)0x10, Vectors.GetClockSc10, DisplayName = "AuthenticatedOnly")]
    [DataRow((byte)0x20, Vectors.GetClockSc20, DisplayName = "EncryptedOnly")]
    public void Seal_GloGetRequest_MatchesVector(byte sc, string expected)
    {
        using Suite0Cipher cipher = Vectors.Cipher();
        CipheredApdu apdu = CipheredApdu.Seal(
            cipher, CipheredApduKind.ServiceSpecificGlobal, new SecurityControl(sc), Vectors.SenderTitle, Vectors.Ic, Vectors.Hex(Vectors.GetClock));
        Assert.AreEqual(expected, Convert.ToHexString(apdu.ToArray()));
        Assert.AreEqual((byte)0xC8, apdu.Tag);
        Assert.IsNull(apdu.SystemTitle);
        Assert.AreEqual(expected.Length / 2, apdu.EncodedLength);

        var writer = new ArrayBufferWriter<byte>();
        apdu.Encode(writer);
        Assert.AreEqual(expected, Convert.ToHexString(writer.WrittenSpan));
    }

    [TestMethod]
    [DataRow((byte)0x30, Vectors.GetClockSc30, DisplayName = "AuthenticatedEncrypted")]
    [DataRow((byte)0x10, Vectors.GetClockSc10, DisplayName = "AuthenticatedOnly")]
    [DataRow((byte)0x20, Vectors.GetClockSc20, DisplayName = "EncryptedOnly")]
    public void DecodeOpen_GloGetRequest_ReturnsPlainApdu(byte sc, string vector)
    {
        using Suite0Cipher cipher = Vectors.Cipher();
        CipheredApdu apdu = CipheredApdu.Decode(Vectors.Hex(vector));
        Assert.AreEqual(CipheredApduKind.ServiceSpecificGlobal, apdu.Kind);
        Assert.AreEqual(sc, apdu.SecurityControl.Value);
        Assert.AreEqual(Vectors.Ic, apdu.InvocationCounter);
        Assert.IsFalse(apdu.IsDedicated);
        Assert.IsFalse(apdu.IsGeneral);

        byte[] plain = apdu.Open(cipher, Vectors.SenderTitle, out SecurityControl actualSc, out uint ic);
        Assert.AreEqual(Vectors.GetClock, Convert.ToHexString(plain));
        Assert.AreEqual(sc, actualSc.Value);
        Assert.AreEqual(Vectors.Ic, ic);
        Assert.AreEqual(vector, Convert.ToHexString(apdu.ToArray()));
    }

    [TestMethod]
    public void Seal_GeneralGlo_CarriesSenderTitleAndSameBody()
    {
        using Suite0Cipher cipher = Vectors.Cipher();
        CipheredApdu apdu = CipheredApdu.Seal(
            cipher, CipheredApduKind.GeneralGlobal, SecurityControl.AuthenticatedEncrypted, Vectors.SenderTitle, Vectors.Ic, Vectors.Hex(Vectors.GetClock));
        Assert.AreEqual(GetClockGeneralGlo30, Convert.ToHexString(apdu.ToArray()));

        CipheredApdu decoded = CipheredApdu.Decode(Vectors.Hex(GetClockGeneralGlo30));
        Assert.AreEqual(apdu, decoded);
        Assert.AreEqual(Vectors.SenderTitle, decoded.SystemTitle);
        Assert.AreEqual(Vectors.GetClock, Convert.ToHexString(decoded.Open(cipher, Vectors.SenderTitle, out _, out _)));
    }

    [TestMethod]
    public void Open_AarqUserInformation_DecryptsInitiateRequestWithDedicatedKey()
    {
        // The AARQ's user-information is BE 34 04 32 <glo-initiateRequest>: the last 0x32 bytes.
        byte[] aarq = Vectors.Hex(Vectors.Aarq);
        Assert.HasCount(0x66 + 2, aarq);
        CollectionAssert.AreEqual(Vectors.Hex("BE34" + "0432"), aarq[^(0x32 + 4)..^0x32]);
        Assert.AreEqual(Vectors.AarqGloInitiateRequest, Convert.ToHexString(aarq[^0x32..]));

        using Suite0Cipher cipher = Vectors.Cipher();
        CipheredApdu apdu = CipheredApdu.Decode(aarq.AsSpan(aarq.Length - 0x32));
        Assert.AreEqual((byte)0x21, apdu.Tag);
        byte[] plain = apdu.Open(cipher, Vectors.SenderTitle, out SecurityControl sc, out uint ic);
        Assert.AreEqual(SecurityControl.AuthenticatedEncrypted, sc);
        Assert.AreEqual(Vectors.Ic, ic);
        Assert.AreEqual(AarqInitiateRequest, Convert.ToHexString(plain));

        // xDLMS InitiateRequest (Green Book 9.5): tag 01, dedicated-key present (01) of 16 bytes, response-allowed
        // default (00), no proposed QoS (00), DLMS version 6, conformance 5F1F 04 00 <3 bytes>, max PDU u16.
        Assert.AreEqual("010110", Convert.ToHexString(plain[..3]));
        Assert.AreEqual("00112233445566778899AABBCCDDEEFF", Convert.ToHexString(plain[3..19]));
        Assert.AreEqual("000006", Convert.ToHexString(plain[19..22]));
        Assert.AreEqual("5F1F0400", Convert.ToHexString(plain[22..26]));
        Assert.AreEqual("007E1F", Convert.ToHexString(plain[26..29]));
        Assert.AreEqual(1200, (plain[29] << 8) | plain[30]);
        Assert.HasCount(31, plain);
    }

    [TestMethod]
    [DataRow("0F00000001000C07E5", CipheredApduKind.GeneralGlobal, DisplayName = "DataNotificationGeneralGlo")]
    [DataRow("0F00000001000C07E5", CipheredApduKind.GeneralDedicated, DisplayName = "DataNotificationGeneralDed")]
    [DataRow("C401C100090C07E5", CipheredApduKind.ServiceSpecificDedicated, DisplayName = "DedGetResponse")]
    [DataRow("0E0601", CipheredApduKind.ServiceSpecificGlobal, DisplayName = "GloConfirmedServiceError")]
    public void SealOpen_RoundTrips(string plainHex, CipheredApduKind kind)
    {
        using Suite0Cipher cipher = Vectors.Cipher();
        byte[] plain = Vectors.Hex(plainHex);
        CipheredApdu sealedApdu = CipheredApdu.Seal(cipher, kind, SecurityControl.AuthenticatedEncrypted, Vectors.SenderTitle, 7, plain);
        Assert.AreEqual(kind, sealedApdu.Kind);
        CipheredApdu decoded = CipheredApdu.Decode(sealedApdu.ToArray());
        Assert.AreEqual(sealedApdu, decoded);
        CollectionAssert.AreEqual(plain, decoded.Open(cipher, Vectors.SenderTitle, out _, out uint ic));
        Assert.AreEqual(7u, ic);
    }

    [TestMethod]
    public void Seal_LongApdu_UsesLongFormLength()
    {
        using Suite0Cipher cipher = Vectors.Cipher();
        byte[] plain = [0xC4, .. new byte[299]];
        CipheredApdu apdu = CipheredApdu.Seal(cipher, CipheredApduKind.ServiceSpecificGlobal, SecurityControl.AuthenticatedEncrypted, Vectors.SenderTitle, 1, plain);
        byte[] encoded = apdu.ToArray();
        Assert.AreEqual("CC82013D", Convert.ToHexString(encoded[..4]));
        Assert.HasCount(apdu.EncodedLength, encoded);
        CollectionAssert.AreEqual(plain, CipheredApdu.Decode(encoded).Open(cipher, Vectors.SenderTitle, out _, out _));
    }

    [TestMethod]
    [DataRow("0F00", CipheredApduKind.ServiceSpecificGlobal, DisplayName = "DataNotificationHasNoGloTag")]
    [DataRow("D8010A", CipheredApduKind.ServiceSpecificDedicated, DisplayName = "ExceptionResponseHasNoDedTag")]
    [DataRow("", CipheredApduKind.GeneralGlobal, DisplayName = "EmptyApdu")]
    public void Seal_CallerBug_ThrowsArgumentException(string plainHex, CipheredApduKind kind)
    {
        using Suite0Cipher cipher = Vectors.Cipher();
        Assert.ThrowsExactly<ArgumentException>(
            () => CipheredApdu.Seal(cipher, kind, SecurityControl.AuthenticatedEncrypted, Vectors.SenderTitle, 1, Vectors.Hex(plainHex)));
    }

    [TestMethod]
    [DataRow("", "truncated", DisplayName = "Empty")]
    [DataRow("C0053001234567", "not a ciphered APDU tag", DisplayName = "BadTag")]
    [DataRow("0F053001234567", "not a ciphered APDU tag", DisplayName = "BadTagDataNotification")]
    [DataRow("C882FFFF3001234567", "declares 65535 bytes", DisplayName = "LengthOverflow")]
    [DataRow("C884FFFFFFFF3001234567", "exceeds the limit", DisplayName = "LengthOverflowBeyondInt")]
    [DataRow("C880", "bad length-of-length", DisplayName = "BadLengthOfLength")]
    [DataRow("C8", "truncated", DisplayName = "MissingLength")]
    [DataRow("C81E3001234567411312FF935A47566827C467BC7D825C3BE4A77C3FCC056B", "truncated", DisplayName = "TruncatedBody")]
    [DataRow("C80430012345", "shorter than SC + IC", DisplayName = "BodyShorterThanScIc")]
    [DataRow("C800", "shorter than SC + IC", DisplayName = "EmptyBody")]
    [DataRow("DB074D4D4D0000BC611E3001234567411312FF935A47566827C467BC7D825C3BE4A77C3FCC056B6B", "system-title length must be 8", DisplayName = "SystemTitleLengthNot8")]
    [DataRow("DB094D4D4D0000BC614E001E3001234567411312FF935A47566827C467BC7D825C3BE4A77C3FCC056B6B", "system-title length must be 8", DisplayName = "SystemTitleLength9")]
    [DataRow("DB001E3001234567411312FF935A47566827C467BC7D825C3BE4A77C3FCC056B6B", "system-title length must be 8", DisplayName = "SystemTitleEmpty")]
    [DataRow("DB084D4D4D0000BC", "truncated", DisplayName = "TruncatedSystemTitle")]
    [DataRow("DD084D4D4D0000BC614E0000", "general-ciphering (0xDD) is not supported", DisplayName = "GeneralCipheringUnsupported")]
    [DataRow(Vectors.GetClockSc30 + "00", "trailing", DisplayName = "TrailingBytes")]
    [DataRow(GetClockGeneralGlo30 + "C8", "trailing", DisplayName = "TrailingBytesGeneral")]
    public void Decode_Malformed_ThrowsProtocolException(string hex, string reasonFragment)
    {
        DlmsProtocolException ex = Assert.ThrowsExactly<DlmsProtocolException>(() => CipheredApdu.Decode(Vectors.Hex(hex)));
        StringAssert.Contains(ex.Reason, reasonFragment);
    }

    [TestMethod]
    public void Decode_SystemTitleLengthNot8_ReportsOffsetOfLengthByte()
    {
        DlmsProtocolException ex = Assert.ThrowsExactly<DlmsProtocolException>(
            () => CipheredApdu.Decode(Vectors.Hex("DB074D4D4D0000BC611E30")));
        Assert.AreEqual(1, ex.Offset);
    }

    [TestMethod]
    public void Open_EnvelopeTagDisagreesWithApdu_ThrowsProtocolException()
    {
        using Suite0Cipher cipher = Vectors.Cipher();
        byte[] body = cipher.Protect(SecurityControl.AuthenticatedEncrypted, Vectors.SenderTitle, 1, Vectors.Hex("C401C100090C07E5"));
        var apdu = new CipheredApdu(CipheredApduKind.ServiceSpecificGlobal, 0xC8, null, body);
        DlmsProtocolException ex = Assert.ThrowsExactly<DlmsProtocolException>(() => apdu.Open(cipher, Vectors.SenderTitle, out _, out _));
        StringAssert.Contains(ex.Reason, "tag 0xC0");
        Assert.AreEqual(2 + Suite0Cipher.HeaderLength, ex.Offset);
    }

    [TestMethod]
    public void Open_EmptyInnerApdu_ThrowsProtocolException()
    {
        using Suite0Cipher cipher = Vectors.Cipher();
        byte[] body = cipher.Protect(SecurityControl.AuthenticatedEncrypted, Vectors.SenderTitle, 1, []);
        var apdu = new CipheredApdu(CipheredApduKind.GeneralGlobal, 0xDB, Vectors.SenderTitle, body);
        Assert.ThrowsExactly<DlmsProtocolException>(() => apdu.Open(cipher, Vectors.SenderTitle, out _, out _));
    }

    [TestMethod]
    public void Open_GeneralFormFromOtherSender_ThrowsSystemTitleMismatch()
    {
        using Suite0Cipher cipher = Vectors.Cipher();
        CipheredApdu apdu = CipheredApdu.Decode(Vectors.Hex(GetClockGeneralGlo30));
        DlmsSecurityException ex = Assert.ThrowsExactly<DlmsSecurityException>(
            () => apdu.Open(cipher, SystemTitle.Parse("4D4D4D0000000001"), out _, out _));
        Assert.AreEqual(SecurityFailure.SystemTitleMismatch, ex.Failure);
    }

    [TestMethod]
    public void Open_ServiceSpecificFromOtherSender_ThrowsAuthenticationFailed()
    {
        using Suite0Cipher cipher = Vectors.Cipher();
        CipheredApdu apdu = CipheredApdu.Decode(Vectors.Hex(Vectors.GetClockSc30));
        DlmsSecurityException ex = Assert.ThrowsExactly<DlmsSecurityException>(
            () => apdu.Open(cipher, SystemTitle.Parse("4D4D4D0000000001"), out _, out _));
        Assert.AreEqual(SecurityFailure.AuthenticationFailed, ex.Failure);
    }

    [TestMethod]
    [DataRow(CipheredApduKind.ServiceSpecificGlobal, (byte)0xD0, false, DisplayName = "DedTagForGloKind")]
    [DataRow(CipheredApduKind.ServiceSpecificDedicated, (byte)0xC8, false, DisplayName = "GloTagForDedKind")]
    [DataRow(CipheredApduKind.ServiceSpecificGlobal, (byte)0xC8, true, DisplayName = "ServiceSpecificWithTitle")]
    [DataRow(CipheredApduKind.GeneralGlobal, (byte)0xDB, false, DisplayName = "GeneralWithoutTitle")]
    [DataRow(CipheredApduKind.GeneralGlobal, (byte)0xDC, true, DisplayName = "GeneralWrongTag")]
    [DataRow(CipheredApduKind.GeneralDedicated, (byte)0xDD, true, DisplayName = "GeneralCiphering")]
    public void Constructor_InconsistentEnvelope_ThrowsArgumentException(CipheredApduKind kind, byte tag, bool withTitle)
    {
        Assert.ThrowsExactly<ArgumentException>(
            () => new CipheredApdu(kind, tag, withTitle ? Vectors.SenderTitle : null, Vectors.Hex("3001234567")));
    }

    [TestMethod]
    [DynamicData(nameof(ValidVectors))]
    public void DecodeOpen_EveryPrefix_ThrowsOnlyWireOrSecurityExceptions(string hex)
    {
        using Suite0Cipher cipher = Vectors.Cipher();
        byte[] vector = Vectors.Hex(hex);
        for (int length = 0; length < vector.Length; length++)
        {
            try
            {
                CipheredApdu.Decode(vector.AsSpan(0, length)).Open(cipher, Vectors.SenderTitle, out _, out _);
                Assert.Fail($"prefix of {length} bytes was accepted");
            }
            catch (DlmsProtocolException)
            {
            }
            catch (DlmsSecurityException)
            {
            }
        }
    }

    [TestMethod]
    public void DecodeOpen_SeededMutations_ThrowOnlyWireOrSecurityExceptions()
    {
        using Suite0Cipher cipher = Vectors.Cipher();
        using Suite0Cipher dedicatedCipher = Vectors.Cipher(ekHex: "00112233445566778899AABBCCDDEEFF");
        byte[][] seeds =
        [
            .. ValidVectors.Select(v => Vectors.Hex((string)v[0])),
            CipheredApdu.Seal(dedicatedCipher, CipheredApduKind.ServiceSpecificDedicated, SecurityControl.AuthenticatedEncrypted, Vectors.SenderTitle, 9, Vectors.Hex(Vectors.GetClock)).ToArray(),
            CipheredApdu.Seal(cipher, CipheredApduKind.GeneralGlobal, SecurityControl.AuthenticatedOnly, Vectors.SenderTitle, 9, [0xC4, .. new byte[200]]).ToArray(),
        ];
        var random = new Random(20_000);
        var outcomes = new Dictionary<string, int>();
        for (int i = 0; i < 20_000; i++)
        {
            byte[] mutated = Mutator.Mutate(seeds[random.Next(seeds.Length)], random, headerLength: 12);
            string outcome;
            try
            {
                CipheredApdu apdu = CipheredApdu.Decode(mutated);
                apdu.Open(apdu.IsDedicated ? dedicatedCipher : cipher, Vectors.SenderTitle, out _, out _);
                outcome = "opened";
            }
            catch (DlmsProtocolException)
            {
                outcome = nameof(DlmsProtocolException);
            }
            catch (DlmsSecurityException ex)
            {
                outcome = ex.Failure.ToString();
            }

            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        // Sanity: the mutations reach the decoder, the SC check and the tag check, not only the first byte.
        Assert.IsGreaterThan(1000, outcomes[nameof(DlmsProtocolException)]);
        Assert.IsGreaterThan(1000, outcomes[nameof(SecurityFailure.AuthenticationFailed)]);
        Assert.IsGreaterThan(100, outcomes[nameof(SecurityFailure.UnsupportedProtection)]);
    }
}
