using Smets1Sim.Dlms.Acse;
using static Smets1Sim.Dlms.Tests.Acse.AcseVectors;

namespace Smets1Sim.Dlms.Tests.Acse;

[TestClass]
public sealed class ReleaseApduTests
{
    [TestMethod]
    public void Encode_NormalRlrq_MatchesDomainLayout()
    {
        Assert.AreEqual(Rlrq, Convert.ToHexString(new RlrqApdu { Reason = ReleaseRequestReason.Normal }.ToArray()));
    }

    [TestMethod]
    public void Encode_NormalRlre_MatchesDomainLayout()
    {
        Assert.AreEqual(Rlre, Convert.ToHexString(new RlreApdu { Reason = ReleaseResponseReason.Normal }.ToArray()));
    }

    [TestMethod]
    public void Encode_RlreWithCipheredUserInformation_OuterLengthCountsEveryByte()
    {
        // 63 | len | 80 01 00 | BE 34 04 32 <glo-initiate...>: 3 + 2 + 52 = 57 = 0x39.
        var rlre = new RlreApdu { Reason = ReleaseResponseReason.Normal, UserInformation = Bytes(CipheredAarqUserInformation) };
        Assert.AreEqual("6339800100BE340432" + CipheredAarqUserInformation, Convert.ToHexString(rlre.ToArray()));
    }

    [TestMethod]
    [DataRow(null, false)]
    [DataRow(ReleaseRequestReason.Normal, false)]
    [DataRow(ReleaseRequestReason.Urgent, true)]
    [DataRow(ReleaseRequestReason.UserDefined, true)]
    [DataRow(null, true)]
    public void RoundTrip_Rlrq_ReproducesFieldsAndBytes(ReleaseRequestReason? reason, bool withUserInformation)
    {
        var rlrq = new RlrqApdu { Reason = reason, UserInformation = AarqApduTests.Optional(withUserInformation, Bytes(CipheredAarqUserInformation)) };
        byte[] encoded = rlrq.ToArray();
        RlrqApdu decoded = RlrqApdu.Decode(encoded);
        Assert.AreEqual(reason, decoded.Reason);
        AssertBytes(rlrq.UserInformation, decoded.UserInformation, "user-information");
        Assert.AreEqual(Convert.ToHexString(encoded), Convert.ToHexString(decoded.ToArray()));
    }

    [TestMethod]
    [DataRow(null, false)]
    [DataRow(ReleaseResponseReason.Normal, false)]
    [DataRow(ReleaseResponseReason.NotFinished, true)]
    [DataRow(ReleaseResponseReason.UserDefined, true)]
    [DataRow(null, true)]
    public void RoundTrip_Rlre_ReproducesFieldsAndBytes(ReleaseResponseReason? reason, bool withUserInformation)
    {
        var rlre = new RlreApdu { Reason = reason, UserInformation = AarqApduTests.Optional(withUserInformation, new byte[300]) };
        byte[] encoded = rlre.ToArray();
        RlreApdu decoded = RlreApdu.Decode(encoded);
        Assert.AreEqual(reason, decoded.Reason);
        AssertBytes(rlre.UserInformation, decoded.UserInformation, "user-information");
        Assert.AreEqual(Convert.ToHexString(encoded), Convert.ToHexString(decoded.ToArray()));
    }

    [TestMethod]
    public void Decode_EmptyRlrq_HasNoFields()
    {
        RlrqApdu rlrq = RlrqApdu.Decode(Bytes(EmptyRlrq));
        Assert.IsNull(rlrq.Reason);
        Assert.IsNull(rlrq.UserInformation);
    }

    // Rlrq = 62 03 80 01 00
    [TestMethod]
    [DataRow("Empty", "", 0)]
    [DataRow("BadTag", "6303800100", 0)]
    [DataRow("IndefiniteLength", "6280800100 0000", 1)]
    [DataRow("LengthOverflow", "6204800100", 1)]
    [DataRow("LengthShortByOne", "6202800100", 4)]
    [DataRow("TrailingBytes", "620380010000", 5)]
    [DataRow("ReasonUnknown", "6203800105", 2)]
    [DataRow("ReasonNegative", "62038001FF", 2)]
    [DataRow("ReasonEmpty", "62028000", 3)]
    [DataRow("ReasonNonMinimal", "620480020000", 4)]
    [DataRow("ReasonOverrunsParent", "6203800200", 3)]
    [DataRow("UnknownElement", "6203810100", 2)]
    [DataRow("UserInformationBeforeReason", "6208BE0304010A800100", 7)]
    [DataRow("DuplicateReason", "6206800100800100", 5)]
    [DataRow("UserInformationNotOctetString", "6205BE0302010A", 4)]
    [DataRow("UserInformationTrailingByte", "6206BE0404010A00", 7)]
    public void DecodeRlrq_Malformed_ThrowsProtocolException(string defect, string hex, int offset)
    {
        DlmsProtocolException ex = AssertMalformed(b => RlrqApdu.Decode(b), hex, offset);
        Assert.IsFalse(string.IsNullOrEmpty(ex.Reason), defect);
    }

    [TestMethod]
    [DataRow("Empty", "", 0)]
    [DataRow("RlrqTag", "6203800100", 0)]
    [DataRow("LengthOverflow", "6304800100", 1)]
    [DataRow("TrailingBytes", "630380010000", 5)]
    [DataRow("ReasonUnknown", "6303800102", 2)]
    [DataRow("UnknownElement", "6303A00100", 2)]
    public void DecodeRlre_Malformed_ThrowsProtocolException(string defect, string hex, int offset)
    {
        DlmsProtocolException ex = AssertMalformed(b => RlreApdu.Decode(b), hex, offset);
        Assert.IsFalse(string.IsNullOrEmpty(ex.Reason), defect);
    }
}
