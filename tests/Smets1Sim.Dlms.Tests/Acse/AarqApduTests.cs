using System.Buffers;
using System.Security.Cryptography;
using Smets1Sim.Dlms.Acse;
using static Smets1Sim.Dlms.Tests.Acse.AcseVectors;

namespace Smets1Sim.Dlms.Tests.Acse;

[TestClass]
public sealed class AarqApduTests
{
    [TestMethod]
    public void Decode_CipheredAarqVector_ReturnsEveryField()
    {
        AarqApdu aarq = AarqApdu.Decode(Bytes(CipheredAarq));

        Assert.AreEqual(ApplicationContextName.LogicalNameWithCiphering, aarq.ApplicationContextName);
        AssertBytes(Bytes("4D4D4D0000BC614E"), aarq.CallingApTitle, nameof(aarq.CallingApTitle));
        Assert.IsTrue(aarq.SenderAcseRequirements);
        Assert.AreEqual(AuthenticationMechanism.Lls, aarq.MechanismName);
        AssertBytes("12345678"u8.ToArray(), aarq.CallingAuthenticationValue, nameof(aarq.CallingAuthenticationValue));
        AssertBytes(Bytes(CipheredAarqUserInformation), aarq.UserInformation, nameof(aarq.UserInformation));
        Assert.IsNull(aarq.ProtocolVersion);
        Assert.IsNull(aarq.CalledApTitle);
        Assert.IsNull(aarq.CallingAeInvocationId);
        Assert.IsNull(aarq.ImplementationInformation);
    }

    [TestMethod]
    [DataRow(CipheredAarq)]
    [DataRow(PlainHlsGmacAarq)]
    [DataRow(MinimalAarq)]
    public void Encode_DecodedVector_ReproducesBytes(string hex)
    {
        Assert.AreEqual(hex, Convert.ToHexString(AarqApdu.Decode(Bytes(hex)).ToArray()));
    }

    [TestMethod]
    public void Decode_CipheredAarqUserInformation_DecryptsToInitiateRequestWithDedicatedKey()
    {
        // Cross-check of the docs/dlms-wire.md vector with suite 0 (SC 0x30): IV = client system title || IC,
        // AAD = SC || AK. The decrypted plaintext must be an InitiateRequest our decoder accepts.
        AarqApdu aarq = AarqApdu.Decode(Bytes(CipheredAarq));
        ReadOnlySpan<byte> glo = aarq.UserInformation!.Value.Span;
        Assert.AreEqual(0x21, glo[0]);
        Assert.AreEqual(glo.Length - 2, glo[1]);
        ReadOnlySpan<byte> body = glo[2..];
        byte[] iv = [.. aarq.CallingApTitle!.Value.Span, .. body.Slice(1, 4)];
        byte[] aad = [body[0], .. Bytes("D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF")];
        ReadOnlySpan<byte> cipherText = body[5..^12];
        byte[] plain = new byte[cipherText.Length];
        using (var gcm = new AesGcm(Bytes("000102030405060708090A0B0C0D0E0F"), 12))
        {
            gcm.Decrypt(iv, cipherText, body[^12..], plain, aad);
        }

        InitiateRequest request = InitiateRequest.Decode(plain);
        Assert.AreEqual(16, request.DedicatedKey!.Value.Length);
        Assert.AreEqual(6, request.ProposedDlmsVersion);
        Assert.AreEqual(Convert.ToHexString(plain), Convert.ToHexString(request.ToArray()));
    }

    [TestMethod]
    public void Encode_HlsGmacAarqFromDomainDescription_MatchesHandBuiltBytes()
    {
        var initiate = new InitiateRequest
        {
            ProposedConformance = (Conformance)0x007E1F,
            ClientMaxReceivePduSize = 0x04B0,
        };
        Assert.AreEqual(PlainInitiateRequest, Convert.ToHexString(initiate.ToArray()));

        var aarq = new AarqApdu
        {
            ApplicationContextName = ApplicationContextName.LogicalNameWithCiphering,
            CallingApTitle = Bytes("4D4D4D0000000001"),
            SenderAcseRequirements = true,
            MechanismName = AuthenticationMechanism.HlsGmac,
            CallingAuthenticationValue = "K56iVagY"u8.ToArray(),
            UserInformation = initiate.ToArray(),
        };

        Assert.AreEqual(PlainHlsGmacAarq, aarq.ToHex());
    }

    [TestMethod]
    public void RoundTrip_EveryCombinationOfOptionalFields_ReproducesFieldsAndBytes()
    {
        const int optionalFields = 14;
        for (int mask = 0; mask < 1 << optionalFields; mask++)
        {
            AarqApdu original = Build(mask);
            byte[] encoded = original.ToArray();
            AarqApdu decoded = AarqApdu.Decode(encoded);

            AssertSameFields(original, decoded, $"mask {mask}");
            Assert.AreEqual(Convert.ToHexString(encoded), decoded.ToHex(), $"mask {mask}");
        }
    }

    [TestMethod]
    [DataRow(0, "00")]
    [DataRow(-1, "FF")]
    [DataRow(127, "7F")]
    [DataRow(128, "0080")]
    [DataRow(-128, "80")]
    [DataRow(-129, "FF7F")]
    [DataRow(65535, "00FFFF")]
    [DataRow(int.MaxValue, "7FFFFFFF")]
    [DataRow(int.MinValue, "80000000")]
    public void Encode_InvocationId_UsesMinimalInteger(int value, string content)
    {
        var aarq = new AarqApdu { ApplicationContextName = ApplicationContextName.LogicalName, CallingAeInvocationId = value };
        string integer = $"02{content.Length / 2:X2}{content}";
        string expected = $"A9{integer.Length / 2:X2}{integer}";
        StringAssert.EndsWith(aarq.ToHex(), expected);
        Assert.AreEqual(value, AarqApdu.Decode(aarq.ToArray()).CallingAeInvocationId);
    }

    // AARQ = 60 len | A1 09 .. (11 bytes) | BE len 04 len <n zero bytes>; every length in its shortest form.
    [TestMethod]
    [DataRow(0, "600F", "BE020400")]
    [DataRow(125, "60818C", "BE7F047D")]
    [DataRow(126, "60818E", "BE8180047E")]
    [DataRow(127, "60818F", "BE8181047F")]
    [DataRow(128, "608191", "BE8183048180")]
    [DataRow(200, "6081D9", "BE81CB0481C8")]
    [DataRow(252, "6082010D", "BE81FF0481FC")]
    [DataRow(253, "6082010F", "BE8201000481FD")]
    [DataRow(300, "6082013F", "BE8201300482012C")]
    public void Encode_UserInformationLength_UsesShortestLengthForms(int length, string aarqHeader, string userInformationHeader)
    {
        var aarq = new AarqApdu
        {
            ApplicationContextName = ApplicationContextName.LogicalName,
            UserInformation = new byte[length],
        };
        byte[] encoded = aarq.ToArray();

        string expectedStart = aarqHeader + "A109060760857405080101" + userInformationHeader;
        Assert.AreEqual(expectedStart, Convert.ToHexString(encoded)[..expectedStart.Length]);
        Assert.HasCount((expectedStart.Length / 2) + length, encoded);
        AssertBytes(new byte[length], AarqApdu.Decode(encoded).UserInformation, "user-information");
    }

    [TestMethod]
    [DataRow("60810BA109060760857405080101", "long form 81 for a short length")]
    [DataRow("6082000BA109060760857405080101", "long form 82 for a short length")]
    [DataRow("60840000000BA109060760857405080101", "long form 84 for a short length")]
    [DataRow("600CA18109060760857405080101", "non-minimal length inside")]
    public void Decode_NonMinimalLengthForms_AcceptedAndReencodedShortest(string hex, string why)
    {
        Assert.AreEqual(MinimalAarq, AarqApdu.Decode(Bytes(hex)).ToHex(), why);
    }

    [TestMethod]
    [DataRow((byte)9, "application context 9")]
    [DataRow((byte)0x7F, "application context 127")]
    public void Decode_UnknownApplicationContext_KeepsValueForTheSession(byte context, string why)
    {
        byte[] input = Bytes(MinimalAarq);
        input[^1] = context;
        Assert.AreEqual((ApplicationContextName)context, AarqApdu.Decode(input).ApplicationContextName, why);
    }

    [TestMethod]
    public void Encode_ArcAbove127_ThrowsWithoutWriting()
    {
        var aarq = new AarqApdu { ApplicationContextName = ApplicationContextName.LogicalName, MechanismName = (AuthenticationMechanism)200 };
        var writer = new ArrayBufferWriter<byte>();
        Assert.ThrowsExactly<InvalidOperationException>(() => aarq.Encode(writer));
        Assert.AreEqual(0, writer.WrittenCount);
    }

    [TestMethod]
    public void Encode_MalformedProtocolVersion_ThrowsWithoutWriting()
    {
        var aarq = new AarqApdu { ApplicationContextName = ApplicationContextName.LogicalName, ProtocolVersion = new byte[] { 0x09, 0x80 } };
        var writer = new ArrayBufferWriter<byte>();
        Assert.ThrowsExactly<InvalidOperationException>(() => aarq.Encode(writer));
        Assert.AreEqual(0, writer.WrittenCount);
    }

    // Offsets are into the whole input. MinimalAarq = 60 0B | A1 09 06 07 60 85 74 05 08 01 01 (13 bytes).
    [TestMethod]
    [DataRow("Empty", "", 0)]
    [DataRow("BadTag", "610BA109060760857405080101", 0)]
    [DataRow("OnlyTag", "60", 1)]
    [DataRow("IndefiniteLength", "6080A1090607608574050801010000", 1)]
    [DataRow("LengthOverflow", "600CA109060760857405080101", 1)]
    [DataRow("LengthFormTooLong", "6085000000000BA109060760857405080101", 1)]
    [DataRow("LongLengthTruncated", "608200", 1)]
    [DataRow("HugeLength", "6084FFFFFFFFA109060760857405080101", 1)]
    [DataRow("TrailingBytes", "600BA10906076085740508010100", 13)]
    [DataRow("ChildOverrunsParent", "600BA10A060760857405080101", 3)]
    [DataRow("MissingContextName", "6000", 2)]
    [DataRow("ContextNameNotFirst", "6008A60204008A020780", 2)]
    [DataRow("ContextNotAnOid", "600BA109040760857405080101", 4)]
    [DataRow("TruncatedOid", "600AA1080606608574050801", 6)]
    [DataRow("WrongOidPrefix", "600BA109060760857405090101", 6)]
    [DataRow("MechanismOidAsContext", "600BA109060760857405080201", 6)]
    [DataRow("OidEndsInsideArc", "600BA109060760857405080181", 12)]
    [DataRow("ExtraElementInsideContext", "600DA10B0607608574050801010500", 13)]
    [DataRow("UnknownElement", "600DA109060760857405080101AD00", 13)]
    [DataRow("HighTagNumberElement", "600EA109060760857405080101BF1F00", 13)]
    [DataRow("OutOfOrder", "6018A1090607608574050801018B0760857405080205A6020400", 22)]
    [DataRow("DuplicateElement", "6013A109060760857405080101A6020400A6020400", 17)]
    [DataRow("ApTitleNotOctetString", "600FA109060760857405080101A6020200", 15)]
    [DataRow("ApTitleTrailingBytes", "6010A109060760857405080101A603040000", 17)]
    [DataRow("ApTitleOverrunsParent", "600FA109060760857405080101A6020403", 16)]
    [DataRow("BadAcseRequirements", "600FA1090607608574050801018A020700", 15)]
    [DataRow("ShortAcseRequirements", "600EA1090607608574050801018A0100", 15)]
    [DataRow("AuthValueBitStringChoice", "6011A109060760857405080101AC0481020000", 15)]
    [DataRow("EmptyInteger", "600FA109060760857405080101A9020200", 16)]
    [DataRow("NonMinimalInteger", "6011A109060760857405080101A90402020005", 17)]
    [DataRow("NegativeNonMinimalInteger", "6011A109060760857405080101A9040202FFFF", 17)]
    [DataRow("IntegerTooLong", "6014A109060760857405080101A90702050102030405", 16)]
    [DataRow("ProtocolVersionNoUnusedBitsByte", "600D8000A109060760857405080101", 4)]
    [DataRow("ProtocolVersionTooManyUnusedBits", "600F80020880A109060760857405080101", 4)]
    [DataRow("ProtocolVersionUnusedBitsWithoutData", "600E800107A109060760857405080101", 4)]
    [DataRow("UserInformationNotOctetString", "6011A109060760857405080101BE0481020000", 15)]
    public void Decode_Malformed_ThrowsProtocolException(string defect, string hex, int offset)
    {
        DlmsProtocolException ex = AssertMalformed(b => AarqApdu.Decode(b), hex, offset < 0 ? null : offset);
        Assert.IsFalse(string.IsNullOrEmpty(ex.Reason), defect);
    }

    private static AarqApdu Build(int mask)
    {
        bool Has(int bit) => (mask & (1 << bit)) != 0;
        return new AarqApdu
        {
            ProtocolVersion = Optional(Has(0), new byte[] { 0x07, 0x80 }),
            ApplicationContextName = (ApplicationContextName)(1 + (mask % 4)),
            CalledApTitle = Optional(Has(1), Bytes("0102030405060708")),
            CalledAeQualifier = Optional(Has(2), new byte[mask % 3]),
            CalledApInvocationId = Has(3) ? mask - 5000 : null,
            CalledAeInvocationId = Has(4) ? mask * 1000 : null,
            CallingApTitle = Optional(Has(5), Bytes("4D4D4D0000BC614E")),
            CallingAeQualifier = Optional(Has(6), new byte[130]),
            CallingApInvocationId = Has(7) ? -mask : null,
            CallingAeInvocationId = Has(8) ? mask & 0xFF : null,
            SenderAcseRequirements = Has(9),
            MechanismName = Has(10) ? (AuthenticationMechanism)(mask % 8) : null,
            CallingAuthenticationValue = Optional(Has(11), new byte[8 + (mask % 57)]),
            ImplementationInformation = Optional(Has(12), "impl"u8.ToArray()),
            UserInformation = Optional(Has(13), Bytes(PlainInitiateRequest)),
        };
    }

    // Not `has ? bytes : null`: the null literal converts to ReadOnlyMemory<byte> through its implicit conversion
    // from byte[], which gives an empty but present ReadOnlyMemory<byte>?.
    internal static ReadOnlyMemory<byte>? Optional(bool has, byte[] value) => has ? value : (ReadOnlyMemory<byte>?)null;

    private static void AssertSameFields(AarqApdu expected, AarqApdu actual, string context)
    {
        AssertBytes(expected.ProtocolVersion, actual.ProtocolVersion, $"{context} protocol-version");
        Assert.AreEqual(expected.ApplicationContextName, actual.ApplicationContextName, context);
        AssertBytes(expected.CalledApTitle, actual.CalledApTitle, $"{context} called-AP-title");
        AssertBytes(expected.CalledAeQualifier, actual.CalledAeQualifier, $"{context} called-AE-qualifier");
        Assert.AreEqual(expected.CalledApInvocationId, actual.CalledApInvocationId, context);
        Assert.AreEqual(expected.CalledAeInvocationId, actual.CalledAeInvocationId, context);
        AssertBytes(expected.CallingApTitle, actual.CallingApTitle, $"{context} calling-AP-title");
        AssertBytes(expected.CallingAeQualifier, actual.CallingAeQualifier, $"{context} calling-AE-qualifier");
        Assert.AreEqual(expected.CallingApInvocationId, actual.CallingApInvocationId, context);
        Assert.AreEqual(expected.CallingAeInvocationId, actual.CallingAeInvocationId, context);
        Assert.AreEqual(expected.SenderAcseRequirements, actual.SenderAcseRequirements, context);
        Assert.AreEqual(expected.MechanismName, actual.MechanismName, context);
        AssertBytes(expected.CallingAuthenticationValue, actual.CallingAuthenticationValue, $"{context} calling-authentication-value");
        AssertBytes(expected.ImplementationInformation, actual.ImplementationInformation, $"{context} implementation-information");
        AssertBytes(expected.UserInformation, actual.UserInformation, $"{context} user-information");
    }
}
