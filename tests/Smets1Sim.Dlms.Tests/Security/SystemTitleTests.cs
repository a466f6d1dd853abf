using Smets1Sim.Dlms.Security;

namespace Smets1Sim.Dlms.Tests.Security;

[TestClass]
public sealed class SystemTitleTests
{
    [TestMethod]
    [DataRow("4D4D4D0000BC614E", "MMM")]
    [DataRow("4d4d4d0000bc614e", "MMM")]
    [DataRow("4D4D4D0000000001", "MMM")]
    [DataRow("0000000000000000", null)]
    [DataRow("4D4D7F0000000001", null)]
    public void Parse_Hex_RoundTripsAndNamesManufacturer(string hex, string? manufacturer)
    {
        SystemTitle title = SystemTitle.Parse(hex);
        Assert.AreEqual(hex.ToUpperInvariant(), title.ToString());
        Assert.AreEqual(manufacturer, title.ManufacturerCode);
        Assert.AreEqual(title, SystemTitle.FromBytes(Convert.FromHexString(hex)));
        Assert.AreEqual(hex.ToUpperInvariant(), Convert.ToHexString(title.ToArray()));
    }

    [TestMethod]
    public void WriteTo_BigEndian()
    {
        Span<byte> bytes = stackalloc byte[8];
        new SystemTitle(0x4D4D4D0000BC614E).WriteTo(bytes);
        Assert.AreEqual("4D4D4D0000BC614E", Convert.ToHexString(bytes));
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("4D4D4D0000BC614")]
    [DataRow("4D4D4D0000BC614E00")]
    [DataRow("0x4D4D4D0000BC61")]
    [DataRow("4D4D4D0000BC61G0")]
    [DataRow(" 4D4D4D0000BC614")]
    [DataRow("+D4D4D0000BC614E")]
    public void Parse_NotSixteenHexDigits_ThrowsFormatException(string text)
    {
        Assert.ThrowsExactly<FormatException>(() => SystemTitle.Parse(text));
        Assert.IsFalse(SystemTitle.TryParse(text, out _));
    }

    [TestMethod]
    [DataRow(7)]
    [DataRow(9)]
    public void FromBytes_WrongLength_ThrowsArgumentException(int length)
    {
        Assert.ThrowsExactly<ArgumentException>(() => SystemTitle.FromBytes(new byte[length]));
    }
}
