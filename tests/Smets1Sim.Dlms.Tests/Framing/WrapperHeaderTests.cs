using System.Buffers;
using Smets1Sim.Dlms.Framing;

namespace Smets1Sim.Dlms.Tests.Framing;

[TestClass]
public sealed class WrapperHeaderTests
{
    [TestMethod]
    [DataRow((ushort)0x0010, (ushort)0x0001, (ushort)0x000D, "000100100001000D")]
    [DataRow((ushort)0x0001, (ushort)0x0010, (ushort)0x0034, "0001000100100034")]
    [DataRow((ushort)0xFFFF, (ushort)0x1234, (ushort)0xFFFF, "0001FFFF1234FFFF")]
    public void WriteTo_Fields_GoldenBytes(ushort source, ushort destination, ushort length, string expectedHex)
    {
        var header = new WrapperHeader(source, destination, length);
        byte[] span = new byte[WrapperHeader.Size];
        header.WriteTo(span);
        Assert.AreEqual(expectedHex, Convert.ToHexString(span));

        var writer = new ArrayBufferWriter<byte>();
        header.WriteTo(writer);
        Assert.AreEqual(expectedHex, Convert.ToHexString(writer.WrittenSpan));

        Assert.IsTrue(WrapperHeader.TryRead(span, out WrapperHeader read));
        Assert.AreEqual(header, read);
        Assert.IsTrue(read.HasSupportedVersion);
    }

    [TestMethod]
    public void TryRead_SevenBytes_ReturnsFalse()
    {
        Assert.IsFalse(WrapperHeader.TryRead(new byte[7], out _));
    }

    [TestMethod]
    public void TryRead_OtherVersion_ReadsWithoutJudging()
    {
        Assert.IsTrue(WrapperHeader.TryRead(Convert.FromHexString("0002000100100001"), out WrapperHeader header));
        Assert.AreEqual((ushort)2, header.Version);
        Assert.IsFalse(header.HasSupportedVersion);
    }

    [TestMethod]
    public void WriteTo_ShortSpan_Throws()
    {
        Assert.ThrowsExactly<ArgumentException>(() => new WrapperHeader(1, 2, 3).WriteTo(new byte[7]));
    }
}
