using System.Buffers;
using Smets1Sim.Dlms.Framing;

namespace Smets1Sim.Dlms.Tests.Framing;

[TestClass]
public sealed class WrapperFrameReaderTests
{
    private const string GetClockFrame = "000100100001000DC0010000080000010000FF0200";
    private static readonly byte[] GetClockApdu = Convert.FromHexString("C0010000080000010000FF0200");

    private static readonly WrapperFrameReader Reader = new(maxApduLength: 1024);

    [TestMethod]
    public void TryReadFrame_WholeFrame_ReturnsFrameAndConsumesIt()
    {
        var buffer = new ReadOnlySequence<byte>(Convert.FromHexString(GetClockFrame));
        Assert.IsTrue(Reader.TryReadFrame(ref buffer, out WrapperFrame? frame));
        Assert.AreEqual(new WrapperFrame(0x10, 0x01, GetClockApdu), frame);
        Assert.AreEqual(0, buffer.Length);
    }

    [TestMethod]
    public void TryReadFrame_EveryPrefix_ReturnsFalseAndLeavesBufferUntouched()
    {
        byte[] bytes = Convert.FromHexString(GetClockFrame);
        for (int length = 0; length < bytes.Length; length++)
        {
            var buffer = new ReadOnlySequence<byte>(bytes, 0, length);
            ReadOnlySequence<byte> before = buffer;
            Assert.IsFalse(Reader.TryReadFrame(ref buffer, out WrapperFrame? frame), $"prefix {length}");
            Assert.IsNull(frame);
            Assert.AreEqual(before.Start, buffer.Start);
            Assert.AreEqual(before.End, buffer.End);
        }
    }

    [TestMethod]
    public void TryReadFrame_SplitAtEveryPosition_ReadsSameFrame()
    {
        byte[] bytes = Convert.FromHexString(GetClockFrame);
        var expected = new WrapperFrame(0x10, 0x01, GetClockApdu);
        for (int cut = 0; cut <= bytes.Length; cut++)
        {
            ReadOnlySequence<byte> buffer = TestSegment.Split(bytes, cut);
            Assert.IsTrue(Reader.TryReadFrame(ref buffer, out WrapperFrame? frame), $"cut {cut}");
            Assert.AreEqual(expected, frame, $"cut {cut}");
            Assert.AreEqual(0, buffer.Length);
        }

        // Two cuts: every header byte can sit in its own segment, and so on.
        for (int first = 0; first <= bytes.Length; first++)
        {
            for (int second = first; second <= bytes.Length; second++)
            {
                ReadOnlySequence<byte> buffer = TestSegment.Split(bytes, first, second);
                Assert.IsTrue(Reader.TryReadFrame(ref buffer, out WrapperFrame? frame), $"cuts {first},{second}");
                Assert.AreEqual(expected, frame);
            }
        }
    }

    [TestMethod]
    public void TryReadFrame_OneByteSegments_ReadsFrame()
    {
        byte[] bytes = Convert.FromHexString(GetClockFrame);
        ReadOnlySequence<byte> buffer = TestSegment.Split(bytes, [.. Enumerable.Range(1, bytes.Length - 1)]);
        Assert.IsTrue(Reader.TryReadFrame(ref buffer, out WrapperFrame? frame));
        Assert.AreEqual(new WrapperFrame(0x10, 0x01, GetClockApdu), frame);
    }

    [TestMethod]
    public void TryReadFrame_CoalescedFrames_ReadsEachThenWaits()
    {
        byte[] one = Convert.FromHexString(GetClockFrame);
        byte[] two = new WrapperFrame(0x01, 0x10, new byte[] { 0xC4, 0x01, 0xC1, 0x00 }).ToArray();
        byte[] three = new WrapperFrame(0x20, 0x02, new byte[300]).ToArray();
        byte[] all = [.. one, .. two, .. three[..20]];
        var buffer = new ReadOnlySequence<byte>(all);

        Assert.IsTrue(Reader.TryReadFrame(ref buffer, out WrapperFrame? first));
        Assert.AreEqual((ushort)0x10, first.SourceWPort);
        Assert.IsTrue(Reader.TryReadFrame(ref buffer, out WrapperFrame? second));
        Assert.AreEqual("C401C100", Convert.ToHexString(second.Apdu.Span));
        Assert.IsFalse(Reader.TryReadFrame(ref buffer, out _));
        Assert.AreEqual(20, buffer.Length);
    }

    [TestMethod]
    public void TryReadFrame_ApduDoesNotAliasInput()
    {
        byte[] bytes = Convert.FromHexString(GetClockFrame);
        var buffer = new ReadOnlySequence<byte>(bytes);
        Assert.IsTrue(Reader.TryReadFrame(ref buffer, out WrapperFrame? frame));
        bytes.AsSpan().Clear();
        CollectionAssert.AreEqual(GetClockApdu, frame.Apdu.ToArray());
    }

    [TestMethod]
    public void TryReadFrame_DeclaredLengthOverLimit_ThrowsBeforeBodyArrives()
    {
        var reader = new WrapperFrameReader(maxApduLength: 100);
        var buffer = new ReadOnlySequence<byte>(Convert.FromHexString("0001001000010065"));
        DlmsProtocolException ex = Assert.ThrowsExactly<DlmsProtocolException>(() => reader.TryReadFrame(ref buffer, out _));
        Assert.AreEqual(6, ex.Offset);
        StringAssert.Contains(ex.Reason, "101");
        StringAssert.Contains(ex.Reason, "limit is 100");
    }

    [TestMethod]
    public void TryReadFrame_DeclaredLengthAtLimit_WaitsForBody()
    {
        var reader = new WrapperFrameReader(maxApduLength: 100);
        var buffer = new ReadOnlySequence<byte>(Convert.FromHexString("0001001000010064"));
        Assert.IsFalse(reader.TryReadFrame(ref buffer, out _));
    }

    [TestMethod]
    public void TryReadFrame_ZeroLengthApdu_Throws()
    {
        var buffer = new ReadOnlySequence<byte>(Convert.FromHexString("0001001000010000"));
        DlmsProtocolException ex = Assert.ThrowsExactly<DlmsProtocolException>(() => Reader.TryReadFrame(ref buffer, out _));
        StringAssert.Contains(ex.Reason, "zero-length");
    }

    [TestMethod]
    [DataRow("0000")]
    [DataRow("0002")]
    [DataRow("0101")]
    [DataRow("7E")]
    [DataRow("7EA0")]
    [DataRow("16030100")]
    public void TryReadFrame_BadVersion_ThrowsAsSoonAsTwoBytesArrive(string prefix)
    {
        byte[] bytes = Convert.FromHexString(prefix);
        var buffer = new ReadOnlySequence<byte>(bytes);
        if (bytes.Length < 2)
        {
            Assert.IsFalse(Reader.TryReadFrame(ref buffer, out _));
            return;
        }

        DlmsProtocolException ex = Assert.ThrowsExactly<DlmsProtocolException>(() => Reader.TryReadFrame(ref buffer, out _));
        Assert.AreEqual(0, ex.Offset);
        StringAssert.Contains(ex.Reason, "version");
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(65536)]
    public void Constructor_LimitOutOfRange_Throws(int limit)
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new WrapperFrameReader(limit));
    }

    [TestMethod]
    public void TryReadFrame_SeededRandomStream_ReadsEveryFrameInOrder()
    {
        var random = new Random(62056);
        var reader = new WrapperFrameReader(ushort.MaxValue);
        for (int round = 0; round < 50; round++)
        {
            var frames = new List<WrapperFrame>();
            var stream = new List<byte>();
            int count = random.Next(1, 12);
            for (int i = 0; i < count; i++)
            {
                byte[] apdu = new byte[random.Next(1, random.Next(2) == 0 ? 16 : 3000)];
                random.NextBytes(apdu);
                var frame = new WrapperFrame((ushort)random.Next(0x10000), (ushort)random.Next(0x10000), apdu);
                frames.Add(frame);
                stream.AddRange(frame.ToArray());
            }

            // Deliver the stream in random chunks, each chunk itself cut into random segments, the way a pipe
            // hands over whatever the socket produced; unread bytes are carried over like AdvanceTo(consumed).
            byte[] all = [.. stream];
            var read = new List<WrapperFrame>();
            byte[] pending = [];
            int offset = 0;
            while (offset < all.Length)
            {
                int chunk = Math.Min(all.Length - offset, random.Next(1, 700));
                byte[] available = [.. pending, .. all.AsSpan(offset, chunk)];
                offset += chunk;
                int[] cuts = [.. Enumerable.Range(0, random.Next(0, 4)).Select(_ => random.Next(available.Length + 1)).Order()];
                ReadOnlySequence<byte> buffer = TestSegment.Split(available, cuts);
                while (reader.TryReadFrame(ref buffer, out WrapperFrame? frame))
                {
                    read.Add(frame);
                }

                pending = buffer.ToArray();
            }

            Assert.IsEmpty(pending);
            CollectionAssert.AreEqual(frames, read, $"round {round}");
        }
    }
}
