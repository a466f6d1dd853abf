using Smets1Sim.Dlms.Security;

namespace Smets1Sim.Dlms.Tests.Security;

[TestClass]
public sealed class HlsGmacTests
{
    // docs/dlms-wire.md section 4. Pass 3: the client answers StoC "P6wRJ21F"; pass 4: the server answers CtoS "K56iVagY".
    [TestMethod]
    [DataRow("4D4D4D0000000001", 0x00000001u, "503677524A323146", "10000000011A52FE7DD3E72748973C1E28", DisplayName = "Pass3")]
    [DataRow("4D4D4D0000BC614E", 0x01234567u, "4B35366956616759", "1001234567FE1466AFB3DBCD4F9389E2B7", DisplayName = "Pass4")]
    public void ComputeResponse_KnownAnswer_MatchesAndVerifies(string senderHex, uint ic, string challengeHex, string expected)
    {
        using Suite0Cipher cipher = Vectors.Cipher();
        SystemTitle sender = SystemTitle.Parse(senderHex);
        byte[] challenge = Vectors.Hex(challengeHex);

        byte[] response = HlsGmac.ComputeResponse(cipher, sender, ic, challenge);
        Assert.AreEqual(expected, Convert.ToHexString(response));
        Assert.AreEqual(ic, HlsGmac.Verify(cipher, Vectors.Hex(expected), sender, challenge));
    }

    public static IEnumerable<object[]> BadResponses =>
    [
        ["WrongChallenge", "10000000011A52FE7DD3E72748973C1E28", "503677524A323147", "4D4D4D0000000001"],
        ["WrongSender", "10000000011A52FE7DD3E72748973C1E28", "503677524A323146", "4D4D4D0000000002"],
        ["FlippedTagBit", "10000000011A52FE7DD3E72748973C1E29", "503677524A323146", "4D4D4D0000000001"],
        ["FlippedIcBit", "10000000031A52FE7DD3E72748973C1E28", "503677524A323146", "4D4D4D0000000001"],
        ["ScNot10", "30000000011A52FE7DD3E72748973C1E28", "503677524A323146", "4D4D4D0000000001"],
        ["TooShort", "10000000011A52FE7DD3E72748973C1E", "503677524A323146", "4D4D4D0000000001"],
        ["TooLong", "10000000011A52FE7DD3E72748973C1E2800", "503677524A323146", "4D4D4D0000000001"],
        ["Empty", "", "503677524A323146", "4D4D4D0000000001"],
        ["ChallengeEchoed", "1000000001503677524A3231461A52FE7DD3E72748973C1E28", "503677524A323146", "4D4D4D0000000001"],
    ];

    [TestMethod]
    [DynamicData(nameof(BadResponses))]
    public void Verify_BadResponse_ThrowsHlsAuthenticationFailed(string defect, string response, string challenge, string sender)
    {
        using Suite0Cipher cipher = Vectors.Cipher();
        DlmsSecurityException ex = Assert.ThrowsExactly<DlmsSecurityException>(
            () => HlsGmac.Verify(cipher, Vectors.Hex(response), SystemTitle.Parse(sender), Vectors.Hex(challenge)), defect);
        Assert.AreEqual(SecurityFailure.HlsAuthenticationFailed, ex.Failure, defect);
    }

    [TestMethod]
    public void Verify_WrongKey_ThrowsHlsAuthenticationFailed()
    {
        using Suite0Cipher cipher = Vectors.Cipher(akHex: "D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDE");
        DlmsSecurityException ex = Assert.ThrowsExactly<DlmsSecurityException>(() => HlsGmac.Verify(
            cipher, Vectors.Hex("10000000011A52FE7DD3E72748973C1E28"), SystemTitle.Parse("4D4D4D0000000001"), Vectors.Hex("503677524A323146")));
        Assert.AreEqual(SecurityFailure.HlsAuthenticationFailed, ex.Failure);
    }

    [TestMethod]
    [DataRow(8)]
    [DataRow(16)]
    [DataRow(64)]
    public void NewChallenge_AllowedLength_IsFreshRandom(int length)
    {
        byte[] a = HlsGmac.NewChallenge(length);
        byte[] b = HlsGmac.NewChallenge(length);
        Assert.HasCount(length, a);
        CollectionAssert.AreNotEqual(a, b);
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(7)]
    [DataRow(65)]
    public void NewChallenge_OutOfRange_Throws(int length)
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => HlsGmac.NewChallenge(length));
    }

    [TestMethod]
    public void ComputeResponse_LongChallenge_RoundTrips()
    {
        using Suite0Cipher cipher = Vectors.Cipher();
        byte[] challenge = HlsGmac.NewChallenge(HlsGmac.MaxChallengeLength);
        byte[] response = HlsGmac.ComputeResponse(cipher, Vectors.SenderTitle, 42, challenge);
        Assert.AreEqual(42u, HlsGmac.Verify(cipher, response, Vectors.SenderTitle, challenge));
    }
}
