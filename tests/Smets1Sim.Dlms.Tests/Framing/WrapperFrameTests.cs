using System.Buffers;
using Smets1Sim.Dlms.Framing;

namespace Smets1Sim.Dlms.Tests.Framing;

[TestClass]
public sealed class WrapperFrameTests
{
    // A client (SAP 16) reading the clock of the management logical device (wPort 1).
    private const string GetClockFrame = "000100100001000DC0010000080000010000FF0200";

    [TestMethod]
    public void Encode_GetClock_GoldenBytes()
    {
        var frame = new WrapperFrame(0x10, 0x01, Convert.FromHexString("C0010000080000010000FF0200"));
        var writer = new ArrayBufferWriter<byte>();
        frame.Encode(writer);
        Assert.AreEqual(GetClockFrame, Convert.ToHexString(writer.WrittenSpan));
        Assert.AreEqual(GetClockFrame, Convert.ToHexString(frame.ToArray()));
        Assert.AreEqual(21, frame.EncodedLength);
    }

    [TestMethod]
    public void Reply_SwapsPorts()
    {
        var request = new WrapperFrame(0x10, 0x01, new byte[] { 0xC0 });
        WrapperFrame reply = request.Reply(new byte[] { 0xC4 });
        Assert.AreEqual((ushort)0x01, reply.SourceWPort);
        Assert.AreEqual((ushort)0x10, reply.DestinationWPort);
        Assert.AreEqual("0001000100100001C4", Convert.ToHexString(reply.ToArray()));
    }

    [TestMethod]
    public void Equals_SameBytesDifferentArrays_AreEqual()
    {
        var a = new WrapperFrame(1, 2, new byte[] { 1, 2, 3 });
        var b = new WrapperFrame(1, 2, new byte[] { 1, 2, 3 });
        Assert.AreEqual(a, b);
        Assert.AreEqual(a.GetHashCode(), b.GetHashCode());
        Assert.AreNotEqual(a, b with { DestinationWPort = 3 });
        Assert.AreNotEqual(a, b with { Apdu = new byte[] { 1, 2, 4 } });
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(65536)]
    public void Encode_ApduLengthOutOfRange_Throws(int length)
    {
        var frame = new WrapperFrame(1, 2, new byte[length]);
        Assert.ThrowsExactly<InvalidOperationException>(() => frame.Encode(new ArrayBufferWriter<byte>()));
    }
}
