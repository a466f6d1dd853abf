using Smets1Sim.Dlms.Axdr;

namespace Smets1Sim.Dlms.Tests.Xdlms;

/// <summary>
/// A-XDR inputs found while testing the xDLMS layer: generous limits must not turn a hostile length into an
/// arithmetic overflow instead of a <see cref="DlmsProtocolException"/>.
/// </summary>
[TestClass]
public sealed class AxdrLimitEdgeTests
{
    private static readonly AxdrLimits Generous = new() { MaxStringLength = int.MaxValue };

    [TestMethod]
    [DataRow("04 84 7F FF FF FF 00")]
    [DataRow("04 84 7F FF FF F9 00")]
    [DataRow("04 84 10 00 00 01 00")]
    public void Decode_HugeBitStringWithGenerousLimit_ThrowsProtocolException(string hex)
    {
        byte[] input = Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));
        var ex = Assert.ThrowsExactly<DlmsProtocolException>(() => AxdrDecoder.Decode(input, Generous));
        Assert.AreEqual(1, ex.Offset);
        Assert.Contains("bit-string", ex.Reason);
    }

    [TestMethod]
    public void Decode_BitStringWithGenerousLimit_StillDecodes()
    {
        DlmsValue value = AxdrDecoder.Decode(Convert.FromHexString("040CA5F0"), Generous);
        Assert.AreEqual(new DlmsBitString([0xA5, 0xF0], 12), value);
    }
}
