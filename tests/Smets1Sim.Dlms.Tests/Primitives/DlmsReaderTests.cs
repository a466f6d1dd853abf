using Smets1Sim.Dlms.Primitives;

namespace Smets1Sim.Dlms.Tests.Primitives;

[TestClass]
public sealed class DlmsReaderTests
{
    [TestMethod]
    [DataRow("05", 5)]
    [DataRow("7F", 127)]
    [DataRow("8180", 128)]
    [DataRow("820100", 256)]
    [DataRow("8400000100", 256)]
    public void ReadAxdrLength_ValidForms_ReturnLength(string hex, int expected)
    {
        byte[] input = [.. Convert.FromHexString(hex), .. new byte[expected]];
        var reader = new DlmsReader(input);
        Assert.AreEqual(expected, reader.ReadAxdrLength("test"));
        Assert.AreEqual(hex.Length / 2, reader.Position);
    }

    [TestMethod]
    [DataRow("", "truncated")]
    [DataRow("80", "bad length-of-length")]
    [DataRow("85", "bad length-of-length")]
    [DataRow("82FF", "truncated")]
    [DataRow("05AABB", "declares 5 bytes")]
    [DataRow("84FFFFFFFF", "exceeds the limit")]
    public void ReadAxdrLength_Malformed_ThrowsWithoutAdvancing(string hex, string reasonFragment)
    {
        byte[] input = Convert.FromHexString(hex);
        DlmsProtocolException? caught = null;
        var reader = new DlmsReader(input, baseOffset: 10);
        try
        {
            reader.ReadAxdrLength("test", max: 1 << 20);
        }
        catch (DlmsProtocolException ex)
        {
            caught = ex;
        }

        Assert.IsNotNull(caught);
        StringAssert.Contains(caught.Reason, reasonFragment);
        Assert.AreEqual(0, reader.Position);
        Assert.AreEqual(10, caught.Offset);
    }

    [TestMethod]
    public void ReadBytes_TooFew_ThrowsAndKeepsPosition()
    {
        var reader = new DlmsReader(new byte[] { 1, 2, 3 });
        reader.ReadByte("first");
        try
        {
            reader.ReadBytes(3, "block");
            Assert.Fail("expected an exception");
        }
        catch (DlmsProtocolException ex)
        {
            Assert.AreEqual(1, ex.Offset);
        }

        Assert.AreEqual(1, reader.Position);
    }
}
