using Microsoft.Extensions.Time.Testing;
using Smets1Sim.Cosem.Tests.Fakes;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Cosem.Tests.Classes;

[TestClass]
public sealed class ClockObjectTests
{
    private static CosemObject Clock(params (int Id, DlmsValue Value)[] values) => TestCosem.Create(8, "0-0:1.0.0.255", values);

    [TestMethod]
    public void Get_Time_IsFakeNowAsCosemDateTime()
    {
        CosemObject o = Clock();

        DlmsValue time = o.Read(2, TestCosem.Context(TestCosem.NewClock()));

        // 2026-03-14 (Saturday = 6) 09:26:53.00, deviation 0, status 0.
        CollectionAssert.AreEqual(Convert.FromHexString("19" + "07EA030E06" + "091A3500" + "0000" + "00"), time.ToArray());
    }

    [TestMethod]
    public void Get_Time_FollowsAdvance()
    {
        FakeTimeProvider clock = TestCosem.NewClock();
        CosemObject o = Clock();

        clock.Advance(TimeSpan.FromMinutes(90));

        Assert.AreEqual(TestCosem.DateTime(TestCosem.Start + TimeSpan.FromMinutes(90)), o.Read(2, TestCosem.Context(clock)));
    }

    [TestMethod]
    public void Get_Time_CarriesClockStatus()
    {
        CosemObject o = Clock((4, new DlmsUnsigned((byte)ClockStatus.DaylightSavingActive)));

        var time = (DlmsDateTime)o.Read(2, TestCosem.Context(TestCosem.NewClock()));

        Assert.AreEqual(ClockStatus.DaylightSavingActive, time.Value.Status);
    }

    [TestMethod]
    public void Set_Time_ThenAdvance_FollowsFromNewInstant()
    {
        FakeTimeProvider clock = TestCosem.NewClock();
        CosemContext context = TestCosem.Context(clock);
        CosemObject o = Clock();
        var target = new DateTimeOffset(2027, 1, 2, 3, 4, 5, TimeSpan.Zero);

        Assert.AreEqual(DataAccessResult.Success, o.Set(2, TestCosem.DateTime(target), null, context));
        clock.Advance(TimeSpan.FromHours(1));

        Assert.AreEqual(TestCosem.DateTime(target + TimeSpan.FromHours(1)), o.Read(2, context));
    }

    [TestMethod]
    public void Set_TimeWithDeviation_ReadsBackAsUtc()
    {
        CosemContext context = TestCosem.Context(TestCosem.NewClock());
        CosemObject o = Clock();

        // 10:00 local at UTC+01:00 (deviation -60) is 09:00 UTC.
        o.Set(2, TestCosem.DateTime(new DateTimeOffset(2026, 6, 1, 10, 0, 0, TimeSpan.FromHours(1))), null, context);

        Assert.AreEqual(TestCosem.DateTime(new DateTimeOffset(2026, 6, 1, 9, 0, 0, TimeSpan.Zero)), o.Read(2, context));
    }

    [TestMethod]
    public void Set_TimeNotDateTime_TypeUnmatched()
    {
        Assert.AreEqual(DataAccessResult.TypeUnmatched, Clock().Set(2, DlmsValue.OctetString(new byte[12]), null, TestCosem.Context(TestCosem.NewClock())));
    }

    [TestMethod]
    public void Set_TimeWithWildcards_OtherReason()
    {
        var wildcard = new DlmsDateTime(CosemDateTime.Read(Convert.FromHexString("FFFFFFFFFFFFFFFFFF800000")));

        Assert.AreEqual(DataAccessResult.OtherReason, Clock().Set(2, wildcard, null, TestCosem.Context(TestCosem.NewClock())));
    }

    [TestMethod]
    public void Set_Time_RaisesAttributeChanged()
    {
        CosemObject o = Clock();
        var changes = new List<int>();
        o.AttributeChanged += (_, id) => changes.Add(id);

        o.Set(2, TestCosem.DateTime(TestCosem.Start.AddDays(1)), null, TestCosem.Context(TestCosem.NewClock()));

        CollectionAssert.AreEqual(new[] { 2 }, changes);
    }

    [TestMethod]
    public void Invoke_ShiftTime60_MovesClockOneMinute()
    {
        CosemContext context = TestCosem.Context(TestCosem.NewClock());
        CosemObject o = Clock();

        Assert.AreEqual(ActionResult.Success, o.Invoke(6, new DlmsLong(60), context).Result);

        Assert.AreEqual(TestCosem.DateTime(TestCosem.Start.AddSeconds(60)), o.Read(2, context));
    }

    [TestMethod]
    [DataRow((short)1000)]
    [DataRow((short)-901)]
    [DataRow((short)901)]
    public void Invoke_ShiftTimeOutOfRange_TypeUnmatchedAndClockUnchanged(short seconds)
    {
        CosemContext context = TestCosem.Context(TestCosem.NewClock());
        CosemObject o = Clock();

        Assert.AreEqual(ActionResult.TypeUnmatched, o.Invoke(6, new DlmsLong(seconds), context).Result);

        Assert.AreEqual(TestCosem.DateTime(TestCosem.Start), o.Read(2, context));
    }

    [TestMethod]
    public void Invoke_ShiftTimeWrongType_TypeUnmatched()
    {
        Assert.AreEqual(ActionResult.TypeUnmatched, Clock().Invoke(6, new DlmsDoubleLong(60), TestCosem.Context(TestCosem.NewClock())).Result);
    }

    [TestMethod]
    [DataRow(53, 9, 27)]
    [DataRow(29, 9, 26)]
    [DataRow(30, 9, 27)]
    public void Invoke_AdjustToMinute_RoundsToNearestMinute(int second, int hour, int minute)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 14, 9, 26, second, TimeSpan.Zero));
        CosemContext context = TestCosem.Context(clock);
        CosemObject o = Clock();

        Assert.AreEqual(ActionResult.Success, o.Invoke(3, new DlmsInteger(0), context).Result);

        Assert.AreEqual(TestCosem.DateTime(new DateTimeOffset(2026, 3, 14, hour, minute, 0, TimeSpan.Zero)), o.Read(2, context));
    }

    [TestMethod]
    public void Invoke_AdjustToQuarter_RoundsToNearestQuarter()
    {
        CosemContext context = TestCosem.Context(TestCosem.NewClock());
        CosemObject o = Clock();

        o.Invoke(1, new DlmsInteger(0), context);

        Assert.AreEqual(TestCosem.DateTime(new DateTimeOffset(2026, 3, 14, 9, 30, 0, TimeSpan.Zero)), o.Read(2, context));
    }

    [TestMethod]
    public void Invoke_PresetThenAdjustToPreset_SetsPresetTime()
    {
        CosemContext context = TestCosem.Context(TestCosem.NewClock());
        CosemObject o = Clock();
        var preset = new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.AreEqual(ActionResult.Success, o.Invoke(5, DlmsValue.Structure(TestCosem.DateTime(preset), TestCosem.DateTime(preset.AddMinutes(-5)), TestCosem.DateTime(preset.AddMinutes(5))), context).Result);
        Assert.AreEqual(ActionResult.Success, o.Invoke(4, new DlmsInteger(0), context).Result);

        Assert.AreEqual(TestCosem.DateTime(preset), o.Read(2, context));
        Assert.AreEqual(ActionResult.OtherReason, o.Invoke(4, new DlmsInteger(0), context).Result);
    }

    [TestMethod]
    public void Invoke_AdjustToPresetWithoutPreset_OtherReason()
    {
        Assert.AreEqual(ActionResult.OtherReason, Clock().Invoke(4, new DlmsInteger(0), TestCosem.Context(TestCosem.NewClock())).Result);
    }

    [TestMethod]
    public void ExportState_ImportState_KeepsOffset()
    {
        FakeTimeProvider clock = TestCosem.NewClock();
        CosemContext context = TestCosem.Context(clock);
        CosemObject before = Clock();
        before.Invoke(6, new DlmsLong(-600), context);
        before.Set(3, new DlmsLong(-60), null, context);

        CosemObject after = Clock();
        after.ImportState(before.ExportState());
        clock.Advance(TimeSpan.FromHours(3));

        Assert.AreEqual(TestCosem.DateTime(TestCosem.Start + TimeSpan.FromHours(3) - TimeSpan.FromMinutes(10)), after.Read(2, context));
        Assert.AreEqual(new DlmsLong(-60), after.Read(3, context));
    }

    [TestMethod]
    public void Create_Defaults_TimeZoneStatusAndBase()
    {
        CosemObject o = Clock();
        CosemContext context = TestCosem.Context(TestCosem.NewClock());

        Assert.AreEqual(new DlmsLong(0), o.Read(3, context));
        Assert.AreEqual(new DlmsUnsigned(0), o.Read(4, context));
        Assert.AreEqual(new DlmsBoolean(true), o.Read(8, context));
        Assert.AreEqual(new DlmsEnum(1), o.Read(9, context));
    }
}
