using System.Buffers;
using Smets1Sim.Dlms.Acse;
using static Smets1Sim.Dlms.Tests.Acse.AcseVectors;

namespace Smets1Sim.Dlms.Tests.Acse;

[TestClass]
public sealed class InitiateTests
{
    [TestMethod]
    public void Decode_PlainInitiateRequest_ReturnsFields()
    {
        InitiateRequest request = InitiateRequest.Decode(Bytes(PlainInitiateRequest));
        Assert.IsNull(request.DedicatedKey);
        Assert.IsTrue(request.ResponseAllowed);
        Assert.IsNull(request.ProposedQualityOfService);
        Assert.AreEqual((byte)6, request.ProposedDlmsVersion);
        Assert.AreEqual((Conformance)0x007E1F, request.ProposedConformance);
        Assert.AreEqual((ushort)0x04B0, request.ClientMaxReceivePduSize);
    }

    [TestMethod]
    public void Decode_InitiateRequestWithEveryOption_ReturnsFields()
    {
        InitiateRequest request = InitiateRequest.Decode(Bytes(InitiateRequestWithKey));
        AssertBytes(Bytes("000102030405060708090A0B0C0D0E0F"), request.DedicatedKey, "dedicated-key");
        Assert.IsFalse(request.ResponseAllowed);
        Assert.AreEqual((sbyte)-10, request.ProposedQualityOfService);
        Assert.AreEqual((Conformance)0x601F1F, request.ProposedConformance);
        Assert.AreEqual((ushort)0x0800, request.ClientMaxReceivePduSize);
        Assert.AreEqual(InitiateRequestWithKey, Convert.ToHexString(request.ToArray()));
    }

    [TestMethod]
    public void RoundTrip_InitiateRequestEveryOptionalCombination_ReproducesFieldsAndBytes()
    {
        for (int mask = 0; mask < 8; mask++)
        {
            var request = new InitiateRequest
            {
                DedicatedKey = AarqApduTests.Optional((mask & 1) != 0, Bytes("00112233445566778899AABBCCDDEEFF")),
                ResponseAllowed = (mask & 2) == 0,
                ProposedQualityOfService = (mask & 4) != 0 ? sbyte.MinValue : null,
                ProposedDlmsVersion = (byte)(5 + mask),
                ProposedConformance = (Conformance)(0x00FFFFFFu >> mask),
                ClientMaxReceivePduSize = (ushort)(0xFFFF - mask),
            };
            byte[] encoded = request.ToArray();
            InitiateRequest decoded = InitiateRequest.Decode(encoded);

            AssertBytes(request.DedicatedKey, decoded.DedicatedKey, $"mask {mask} dedicated-key");
            Assert.AreEqual(request.ResponseAllowed, decoded.ResponseAllowed);
            Assert.AreEqual(request.ProposedQualityOfService, decoded.ProposedQualityOfService);
            Assert.AreEqual(request.ProposedDlmsVersion, decoded.ProposedDlmsVersion);
            Assert.AreEqual(request.ProposedConformance, decoded.ProposedConformance);
            Assert.AreEqual(request.ClientMaxReceivePduSize, decoded.ClientMaxReceivePduSize);
            Assert.AreEqual(Convert.ToHexString(encoded), Convert.ToHexString(decoded.ToArray()));
        }
    }

    [TestMethod]
    public void Decode_ExplicitResponseAllowedTrue_AcceptedAndReencodedAsDefault()
    {
        InitiateRequest request = InitiateRequest.Decode(Bytes("0100010100065F1F0400007E1F04B0"));
        Assert.IsTrue(request.ResponseAllowed);
        Assert.AreEqual(PlainInitiateRequest, Convert.ToHexString(request.ToArray()));
    }

    [TestMethod]
    public void Decode_OtherDlmsVersion_KeepsValueForTheSession()
    {
        InitiateRequest request = InitiateRequest.Decode(Bytes("01000000055F1F0400007E1F04B0"));
        Assert.AreEqual((byte)5, request.ProposedDlmsVersion);
    }

    [TestMethod]
    public void Encode_DefaultInitiateResponse_MatchesDomainLayout()
    {
        var response = new InitiateResponse { NegotiatedConformance = (Conformance)0x00501F, ServerMaxReceivePduSize = 0x01F4 };
        Assert.AreEqual(HlsGmacInitiateResponse, Convert.ToHexString(response.ToArray()));
    }

    [TestMethod]
    [DataRow(HlsGmacInitiateResponse)]
    [DataRow(InitiateResponseWithQos)]
    [DataRow("0800065F1F0400000000FFFFFA00")]
    public void RoundTrip_InitiateResponse_ReproducesBytes(string hex)
    {
        InitiateResponse response = InitiateResponse.Decode(Bytes(hex));
        Assert.AreEqual(hex, Convert.ToHexString(response.ToArray()));
    }

    [TestMethod]
    public void Decode_InitiateResponseWithQos_ReturnsFields()
    {
        InitiateResponse response = InitiateResponse.Decode(Bytes(InitiateResponseWithQos));
        Assert.AreEqual((sbyte)-1, response.NegotiatedQualityOfService);
        Assert.AreEqual((Conformance)0xFFFFFF, response.NegotiatedConformance);
        Assert.AreEqual((ushort)0x0080, response.ServerMaxReceivePduSize);
        Assert.AreEqual(InitiateResponse.LogicalNameVaaName, response.VaaName);
    }

    [TestMethod]
    public void Encode_ConformanceAbove24Bits_ThrowsWithoutWriting()
    {
        var response = new InitiateResponse { NegotiatedConformance = (Conformance)0x01000000, ServerMaxReceivePduSize = 0x01F4 };
        var request = new InitiateRequest { ProposedConformance = (Conformance)0x80000000, ClientMaxReceivePduSize = 0x01F4 };
        var writer = new ArrayBufferWriter<byte>();
        Assert.ThrowsExactly<InvalidOperationException>(() => response.Encode(writer));
        Assert.ThrowsExactly<InvalidOperationException>(() => request.Encode(writer));
        Assert.AreEqual(0, writer.WrittenCount);
    }

    // PlainInitiateRequest = 01 00 00 00 06 5F 1F 04 00 00 7E 1F 04 B0
    //                        0  1  2  3  4  5  6  7  8  9  10 11 12 13
    [TestMethod]
    [DataRow("Empty", "", 0)]
    [DataRow("BadTag", "08000000065F1F0400007E1F04B0", 0)]
    [DataRow("BadDedicatedKeyFlag", "01020000065F1F0400007E1F04B0", 1)]
    [DataRow("BadResponseAllowedFlag", "01000200065F1F0400007E1F04B0", 2)]
    [DataRow("BadQualityOfServiceFlag", "010000FF065F1F0400007E1F04B0", 3)]
    [DataRow("DedicatedKeyOverrun", "010110000102", 2)]
    [DataRow("DedicatedKeyHugeLength", "010184FFFFFFFF00000000065F1F0400007E1F04B0", 2)]
    [DataRow("DedicatedKeyBadLengthForm", "010180", 2)]
    [DataRow("BadConformanceTag", "01000000065E1F0400007E1F04B0", 5)]
    [DataRow("BadConformanceTagNumber", "01000000065F1E0400007E1F04B0", 6)]
    [DataRow("BadConformanceLength", "01000000065F1F0500007E1F04B0", 7)]
    [DataRow("ConformanceUnusedBits", "01000000065F1F0401007E1F04B0", 8)]
    [DataRow("ConformanceTruncated", "01000000065F1F0400007E", 5)]
    [DataRow("MaxPduTruncated", "01000000065F1F0400007E1F04", 12)]
    [DataRow("TrailingBytes", "01000000065F1F0400007E1F04B000", 14)]
    public void DecodeInitiateRequest_Malformed_ThrowsProtocolException(string defect, string hex, int offset)
    {
        DlmsProtocolException ex = AssertMalformed(b => InitiateRequest.Decode(b), hex, offset);
        Assert.IsFalse(string.IsNullOrEmpty(ex.Reason), defect);
    }

    // HlsGmacInitiateResponse = 08 00 06 5F 1F 04 00 00 50 1F 01 F4 00 07
    [TestMethod]
    [DataRow("Empty", "", 0)]
    [DataRow("RequestTag", "0100065F1F040000501F01F40007", 0)]
    [DataRow("BadQualityOfServiceFlag", "0802065F1F040000501F01F40007", 1)]
    [DataRow("BadConformanceTag", "080006041F040000501F01F40007", 3)]
    [DataRow("ConformanceUnusedBits", "0800065F1F040700501F01F40007", 6)]
    [DataRow("VaaNameTruncated", "0800065F1F040000501F01F400", 12)]
    [DataRow("TrailingBytes", "0800065F1F040000501F01F4000700", 14)]
    public void DecodeInitiateResponse_Malformed_ThrowsProtocolException(string defect, string hex, int offset)
    {
        DlmsProtocolException ex = AssertMalformed(b => InitiateResponse.Decode(b), hex, offset);
        Assert.IsFalse(string.IsNullOrEmpty(ex.Reason), defect);
    }
}
