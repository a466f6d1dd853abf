using System.Buffers;
using Smets1Sim.Dlms.Acse;
using Smets1Sim.Dlms.Primitives;

namespace Smets1Sim.Dlms.Tests.Acse;

[TestClass]
public sealed class BerTests
{
    [TestMethod]
    [DataRow(0, "0400")]
    [DataRow(1, "0401")]
    [DataRow(0x7F, "047F")]
    [DataRow(0x80, "048180")]
    [DataRow(0xFF, "0481FF")]
    [DataRow(0x100, "04820100")]
    [DataRow(0xFFFF, "0482FFFF")]
    [DataRow(0x10000, "0483010000")]
    public void WriteHeader_Length_UsesShortestDefiniteForm(int length, string expected)
    {
        var writer = new ArrayBufferWriter<byte>();
        Ber.WriteHeader(writer, 0x04, length);
        Assert.AreEqual(expected, Convert.ToHexString(writer.WrittenSpan));
        Assert.AreEqual(expected.Length / 2, Ber.ElementSize(length) - length);
    }

    [TestMethod]
    [DataRow("0400", 0)]
    [DataRow("0401AA", 1)]
    [DataRow("048101AA", 1)]
    [DataRow("04820001AA", 1)]
    [DataRow("0483000001AA", 1)]
    [DataRow("048400000001AA", 1)]
    public void ReadElement_DefiniteForms_ReturnContentAndConsumeElement(string hex, int contentLength)
    {
        byte[] input = Convert.FromHexString(hex + "FF");
        var reader = new DlmsReader(input, baseOffset: 100);
        DlmsReader content = Ber.ReadElement(ref reader, 0x04, "test");
        Assert.AreEqual(contentLength, content.Remaining);
        Assert.AreEqual(100 + (hex.Length / 2) - contentLength, content.BaseOffset);
        Assert.AreEqual(hex.Length / 2, reader.Position);
    }

    [TestMethod]
    [DataRow("", 0, "truncated")]
    [DataRow("05", 0, "bad tag")]
    [DataRow("04", 1, "truncated")]
    [DataRow("0480", 1, "indefinite")]
    [DataRow("0485", 1, "unsupported length form")]
    [DataRow("04FF", 1, "unsupported length form")]
    [DataRow("048201", 1, "truncated")]
    [DataRow("0402AA", 1, "declares 2 bytes, 1 remain")]
    [DataRow("0484FFFFFFFF", 1, "declares 4294967295 bytes")]
    public void ReadElement_Malformed_ThrowsAtOffsetWithoutAdvancing(string hex, int offset, string reasonFragment)
    {
        byte[] input = Convert.FromHexString(hex);
        var reader = new DlmsReader(input, baseOffset: 10);
        DlmsProtocolException? caught = null;
        try
        {
            Ber.ReadElement(ref reader, 0x04, "test");
        }
        catch (DlmsProtocolException ex)
        {
            caught = ex;
        }

        Assert.IsNotNull(caught);
        Assert.AreEqual(10 + offset, caught.Offset);
        Assert.Contains(reasonFragment, caught.Reason);
        Assert.AreEqual(0, reader.Position);
    }

    [TestMethod]
    [DataRow("020100", 0)]
    [DataRow("02017F", 127)]
    [DataRow("020180", -128)]
    [DataRow("02020080", 128)]
    [DataRow("0202FF7F", -129)]
    [DataRow("02047FFFFFFF", int.MaxValue)]
    [DataRow("020480000000", int.MinValue)]
    public void ReadInteger_MinimalEncodings_RoundTrip(string hex, int value)
    {
        var reader = new DlmsReader(Convert.FromHexString(hex));
        Assert.AreEqual(value, Ber.ReadInteger(ref reader, Ber.IntegerTag, "test"));
        Assert.IsTrue(reader.End);

        var writer = new ArrayBufferWriter<byte>();
        Ber.WriteInteger(writer, Ber.IntegerTag, value);
        Assert.AreEqual(hex, Convert.ToHexString(writer.WrittenSpan));
    }

    [TestMethod]
    [DataRow("0200", "empty")]
    [DataRow("02020001", "not minimally")]
    [DataRow("0202FF80", "not minimally")]
    [DataRow("02050000000001", "at most 4")]
    public void ReadInteger_Malformed_ThrowsWithoutAdvancing(string hex, string reasonFragment)
    {
        var reader = new DlmsReader(Convert.FromHexString(hex));
        DlmsProtocolException? caught = null;
        try
        {
            Ber.ReadInteger(ref reader, Ber.IntegerTag, "test");
        }
        catch (DlmsProtocolException ex)
        {
            caught = ex;
        }

        Assert.IsNotNull(caught);
        Assert.Contains(reasonFragment, caught.Reason);
        Assert.AreEqual(0, reader.Position);
    }
}
