using Smets1Sim.Dlms.Axdr;

namespace Smets1Sim.Dlms.Tests.Axdr;

[TestClass]
public sealed class CosemDateTimeTests
{
    [TestMethod]
    [DataRow("2026-11-23T09:30:15.500+00:00", "07EA0B1701091E0F32000000")]
    // Blue Book 4.1.6.1: deviation is local time to UTC in minutes, so UTC+01:00 is -60 (FFC4), status DST (80).
    [DataRow("2026-07-01T12:00:00.000+01:00", "07EA070103 0C000000 FFC4 80")]
    [DataRow("2024-02-29T23:59:59.990-05:00", "07E8021D04 173B3B63 012C 80")]
    public void FromDateTimeOffset_GivesBytes_AndConvertsBack(string iso, string hex)
    {
        var value = DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);
        byte[] expected = Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));
        var status = expected[11] == 0x80 ? ClockStatus.DaylightSavingActive : ClockStatus.None;
        var cosem = CosemDateTime.FromDateTimeOffset(value, status);
        byte[] actual = new byte[CosemDateTime.Size];
        cosem.WriteTo(actual);
        Assert.AreEqual(Convert.ToHexString(expected), Convert.ToHexString(actual));
        Assert.AreEqual(cosem, CosemDateTime.Read(actual));
        Assert.IsTrue(cosem.TryToDateTimeOffset(out DateTimeOffset back));
        Assert.AreEqual(value, back);
        Assert.AreEqual(value.Offset, back.Offset);
    }

    [TestMethod]
    [DataRow("FFFF0B1701091E0F32000000", "year not specified")]
    [DataRow("07EA0D1701091E0F32000000", "month 13")]
    [DataRow("07EA0B1F01091E0F32000000", "31 November")]
    [DataRow("07EA0B1702091E0F32000000", "Monday marked Tuesday")]
    [DataRow("07EA0B1701181E0F32000000", "hour 24")]
    [DataRow("07EA0B1701091E0F32800000", "deviation not specified")]
    [DataRow("07EA0B1701091E0F32FC9000", "deviation -880")]
    [DataRow("07EA0B1701091E0F64000000", "hundredths 100")]
    public void TryToDateTimeOffset_WildcardOrOutOfRange_ReturnsFalse(string hex, string why)
    {
        var cosem = CosemDateTime.Read(Convert.FromHexString(hex));
        Assert.IsFalse(cosem.TryToDateTimeOffset(out _), why);
    }

    [TestMethod]
    public void TryToDateTimeOffset_UnspecifiedDeviationAndHundredths_CanAssumeUtc()
    {
        var cosem = CosemDateTime.Read(Convert.FromHexString("07EA0B17FF091E0FFF800000"));
        Assert.IsTrue(cosem.TryToDateTimeOffset(out DateTimeOffset value, assumeUtcWhenDeviationUnspecified: true));
        Assert.AreEqual(new DateTimeOffset(2026, 11, 23, 9, 30, 15, TimeSpan.Zero), value);
    }

    [TestMethod]
    public void FromDateTimeOffset_EveryDayOfWeek_IsIso()
    {
        var monday = new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);
        for (int d = 0; d < 7; d++)
        {
            Assert.AreEqual((byte)(d + 1), CosemDateTime.FromDateTimeOffset(monday.AddDays(d)).Date.DayOfWeek);
        }
    }

    [TestMethod]
    [DataRow("000101010100000000FFC400", "0001-01-01 00:00 at UTC+01:00 is before the first UTC instant")]
    [DataRow("270F0C1F05173B3B00003C00", "9999-12-31 23:59:59 at UTC-01:00 is after the last UTC instant")]
    public void TryToDateTimeOffset_EdgeOfCalendar_ReturnsFalseWithoutThrowing(string hex, string why)
    {
        var cosem = CosemDateTime.Read(Convert.FromHexString(hex));
        Assert.IsFalse(cosem.TryToDateTimeOffset(out _, assumeUtcWhenDeviationUnspecified: true), why);
    }

    [TestMethod]
    public void OctetString_ToString_ShowsLengthNotBytes()
    {
        string text = DlmsValue.OctetString(Convert.FromHexString("1FA68B0A8112B447")).ToString();
        Assert.DoesNotContain("1FA6", text);
        StringAssert.Contains(text, "8 bytes");
    }
}
