using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Dlms.Tests.Xdlms;

[TestClass]
public sealed class InvokeIdAndObisTests
{
    [TestMethod]
    [DataRow((byte)0xC1, (byte)1, true, true)]
    [DataRow((byte)0x81, (byte)1, false, true)]
    [DataRow((byte)0x4F, (byte)15, true, false)]
    [DataRow((byte)0x00, (byte)0, false, false)]
    [DataRow((byte)0x30, (byte)0, false, false)]
    public void InvokeIdAndPriority_Byte_SplitsIntoFields(byte value, byte invokeId, bool confirmed, bool high)
    {
        var invoke = new InvokeIdAndPriority(value);
        Assert.AreEqual(invokeId, invoke.InvokeId);
        Assert.AreEqual(confirmed, invoke.ServiceClassConfirmed);
        Assert.AreEqual(high, invoke.HighPriority);
        if ((value & 0x30) == 0)
        {
            Assert.AreEqual(invoke, new InvokeIdAndPriority(invokeId, confirmed, high));
        }
    }

    [TestMethod]
    public void LongInvokeIdAndPriority_Fields_MapToBits()
    {
        var value = new LongInvokeIdAndPriority(0x123456, selfDescriptive: true, breakOnError: false, serviceClassConfirmed: true, highPriority: true);
        Assert.AreEqual(0xD0123456u, value.Value);
        Assert.AreEqual(0x123456u, value.InvokeId);
        Assert.IsTrue(value.SelfDescriptive);
        Assert.IsFalse(value.BreakOnError);
        Assert.IsTrue(new LongInvokeIdAndPriority(0x2000_0000).BreakOnError);
    }

    [TestMethod]
    [DataRow("0-0:43.0.0.255", "00002B0000FF")]
    [DataRow("1-0:1.8.0.255", "0100010800FF")]
    [DataRow("7-0:3.0.0.255", "0700030000FF")]
    [DataRow("255-255:255.255.255.255", "FFFFFFFFFFFF")]
    public void ObisCode_Parse_BothFormsAgreeAndPrintBack(string text, string hex)
    {
        ObisCode fromText = ObisCode.Parse(text);
        ObisCode fromHex = ObisCode.Parse(hex);
        Assert.AreEqual(fromText, fromHex);
        Assert.AreEqual(text, fromText.ToString());
        Assert.AreEqual(hex, Convert.ToHexString(fromText.ToBytes()));
        Assert.AreEqual(fromText, ObisCode.Read(Convert.FromHexString(hex)));
        Assert.AreEqual(fromText, ObisCode.Parse(hex.ToLowerInvariant()));
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("0-0:43.0.0")]
    [DataRow("0-0:43.0.0.256")]
    [DataRow("0.0.43.0.0.255")]
    [DataRow("0-0:43.0.0.255.1")]
    [DataRow("0-0:43.0.-0.255")]
    [DataRow("0-0:43.0.+1.255")]
    [DataRow("0-0:43. 0.0.255")]
    [DataRow("00002B0000F")]
    [DataRow("00002B0000FG")]
    [DataRow("0-0:0043.0.0.255")]
    public void ObisCode_Parse_Malformed_Fails(string text)
    {
        Assert.IsFalse(ObisCode.TryParse(text, out _));
        Assert.ThrowsExactly<FormatException>(() => ObisCode.Parse(text));
    }

    [TestMethod]
    public void ObisCode_ShortBuffers_AreCallerBugs()
    {
        Assert.ThrowsExactly<ArgumentException>(() => ObisCode.Read(new byte[5]));
        Assert.ThrowsExactly<ArgumentException>(() => XdlmsVectors.Clock.WriteTo(new byte[5]));
        Assert.IsFalse(ObisCode.TryParse(null, out _));
    }
}
