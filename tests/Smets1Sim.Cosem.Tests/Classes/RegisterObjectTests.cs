using Microsoft.Extensions.Time.Testing;
using Smets1Sim.Cosem.Classes;
using Smets1Sim.Cosem.Tests.Fakes;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Cosem.Tests.Classes;

[TestClass]
public sealed class RegisterObjectTests
{
    private static readonly ObisCode ActiveImport = ObisCode.Parse("1-0:1.8.0.255");

    private static CosemObject Register(ushort classId, double ratePerHour, params (int Id, DlmsValue Value)[] values)
        => CosemObjectFactory.Create(classId, ActiveImport, values.ToDictionary(v => v.Id, v => v.Value),
            new CosemObjectOptions { LiveRatePerHour = ratePerHour, LiveSince = TestCosem.Start });

    [TestMethod]
    public void Get_LiveRate_FollowsFakeClock()
    {
        FakeTimeProvider clock = TestCosem.NewClock();
        CosemContext context = TestCosem.Context(clock);
        CosemObject o = Register(3, 350, (2, new DlmsDoubleLongUnsigned(1000)));

        Assert.AreEqual(new DlmsDoubleLongUnsigned(1000), o.Read(2, context));
        clock.Advance(TimeSpan.FromHours(2));
        Assert.AreEqual(new DlmsDoubleLongUnsigned(1700), o.Read(2, context));
        clock.Advance(TimeSpan.FromMinutes(30));
        Assert.AreEqual(new DlmsDoubleLongUnsigned(1875), o.Read(2, context));
    }

    [TestMethod]
    public void Get_LiveRate_TruncatesPartialUnits()
    {
        FakeTimeProvider clock = TestCosem.NewClock();
        CosemObject o = Register(3, 350, (2, new DlmsDoubleLongUnsigned(0)));

        clock.Advance(TimeSpan.FromMinutes(1)); // 5.83 Wh

        Assert.AreEqual(new DlmsDoubleLongUnsigned(5), o.Read(2, TestCosem.Context(clock)));
    }

    [TestMethod]
    public void Get_ClockBeforeLiveSince_ReturnsBase()
    {
        var clock = new FakeTimeProvider(TestCosem.Start - TimeSpan.FromHours(5));
        CosemObject o = Register(3, 350, (2, new DlmsDoubleLongUnsigned(1000)));

        Assert.AreEqual(new DlmsDoubleLongUnsigned(1000), o.Read(2, TestCosem.Context(clock)));
    }

    [TestMethod]
    public void Get_LiveRate_KeepsValueType()
    {
        FakeTimeProvider clock = TestCosem.NewClock();
        CosemObject o = Register(3, 10, (2, new DlmsLong64Unsigned(5)));

        clock.Advance(TimeSpan.FromHours(1));

        Assert.AreEqual(new DlmsLong64Unsigned(15), o.Read(2, TestCosem.Context(clock)));
    }

    [TestMethod]
    public void Get_LiveRate_RaisesNoAttributeChanged()
    {
        FakeTimeProvider clock = TestCosem.NewClock();
        CosemObject o = Register(3, 350);
        int changes = 0;
        o.AttributeChanged += (_, _) => changes++;

        clock.Advance(TimeSpan.FromHours(1));
        o.Read(2, TestCosem.Context(clock));

        Assert.AreEqual(0, changes);
    }

    [TestMethod]
    public void Create_NoValues_DefaultsToZeroDoubleLongUnsignedAndScalerUnit()
    {
        CosemObject o = Register(3, 0);
        CosemContext context = TestCosem.Context(TestCosem.NewClock());

        Assert.AreEqual(new DlmsDoubleLongUnsigned(0), o.Read(2, context));
        // scaler_unit {integer 0, enum 255 (count)}.
        CollectionAssert.AreEqual(Convert.FromHexString("02020F00 16FF".Replace(" ", string.Empty, StringComparison.Ordinal)), o.Read(3, context).ToArray());
    }

    [TestMethod]
    public void Create_ExtendedRegister_DefaultsStatusAndCaptureTime()
    {
        CosemObject o = Register(4, 0);
        CosemContext context = TestCosem.Context(TestCosem.NewClock());

        Assert.AreEqual(new DlmsUnsigned(0), o.Read(4, context));
        Assert.AreEqual(TestCosem.DateTime(DateTimeOffset.UnixEpoch), o.Read(5, context));
    }

    [TestMethod]
    public void Set_Value_RebasesLiveValue()
    {
        FakeTimeProvider clock = TestCosem.NewClock();
        CosemContext context = TestCosem.Context(clock);
        CosemObject o = Register(3, 350, (2, new DlmsDoubleLongUnsigned(1000)));
        clock.Advance(TimeSpan.FromHours(2));

        Assert.AreEqual(DataAccessResult.Success, o.Set(2, new DlmsDoubleLongUnsigned(5000), null, context));

        Assert.AreEqual(new DlmsDoubleLongUnsigned(5000), o.Read(2, context));
        clock.Advance(TimeSpan.FromHours(1));
        Assert.AreEqual(new DlmsDoubleLongUnsigned(5350), o.Read(2, context));
    }

    [TestMethod]
    public void Set_ValueOfOtherType_TypeUnmatchedAndNoRebase()
    {
        FakeTimeProvider clock = TestCosem.NewClock();
        CosemContext context = TestCosem.Context(clock);
        CosemObject o = Register(3, 350, (2, new DlmsDoubleLongUnsigned(1000)));
        clock.Advance(TimeSpan.FromHours(2));

        Assert.AreEqual(DataAccessResult.TypeUnmatched, o.Set(2, new DlmsLongUnsigned(5), null, context));

        Assert.AreEqual(new DlmsDoubleLongUnsigned(1700), o.Read(2, context));
    }

    [TestMethod]
    public void Set_ScalerUnit_Stored()
    {
        CosemObject o = Register(3, 0);
        CosemContext context = TestCosem.Context(TestCosem.NewClock());
        DlmsStructure kWh = DlmsValue.Structure(new DlmsInteger(3), new DlmsEnum(30));

        Assert.AreEqual(DataAccessResult.Success, o.Set(3, kWh, null, context));

        Assert.AreEqual(kWh, o.Read(3, context));
    }

    [TestMethod]
    public void Invoke_Reset_ValueZeroThenCountsAgain()
    {
        FakeTimeProvider clock = TestCosem.NewClock();
        CosemContext context = TestCosem.Context(clock);
        CosemObject o = Register(3, 350, (2, new DlmsDoubleLongUnsigned(1000)));
        clock.Advance(TimeSpan.FromHours(2));

        Assert.AreEqual(ActionResult.Success, o.Invoke(1, new DlmsInteger(0), context).Result);

        Assert.AreEqual(new DlmsDoubleLongUnsigned(0), o.Read(2, context));
        clock.Advance(TimeSpan.FromHours(1));
        Assert.AreEqual(new DlmsDoubleLongUnsigned(350), o.Read(2, context));
    }

    [TestMethod]
    public void Invoke_ResetStaticRegister_ZeroOfSameType()
    {
        CosemContext context = TestCosem.Context(TestCosem.NewClock());
        CosemObject o = Register(3, 0, (2, new DlmsLong(-12)));

        o.Invoke(1, new DlmsInteger(0), context);

        Assert.AreEqual(new DlmsLong(0), o.Read(2, context));
    }

    [TestMethod]
    public void Invoke_ResetExtendedRegister_UpdatesCaptureTime()
    {
        FakeTimeProvider clock = TestCosem.NewClock();
        CosemContext context = TestCosem.Context(clock);
        CosemObject o = Register(4, 0, (2, new DlmsDoubleLongUnsigned(77)));
        clock.Advance(TimeSpan.FromMinutes(10));
        var changes = new List<int>();
        o.AttributeChanged += (_, id) => changes.Add(id);

        o.Invoke(1, new DlmsInteger(0), context);

        Assert.AreEqual(new DlmsDoubleLongUnsigned(0), o.Read(2, context));
        Assert.AreEqual(TestCosem.DateTime(TestCosem.Start + TimeSpan.FromMinutes(10)), o.Read(5, context));
        CollectionAssert.AreEquivalent(new[] { 2, 5 }, changes);
    }

    [TestMethod]
    public void ExportState_ImportState_StaticValueRoundTrip()
    {
        CosemContext context = TestCosem.Context(TestCosem.NewClock());
        CosemObject before = Register(3, 0, (2, new DlmsDoubleLongUnsigned(1000)));
        before.Set(2, new DlmsDoubleLongUnsigned(4321), null, context);
        CosemObject after = Register(3, 0, (2, new DlmsDoubleLongUnsigned(1000)));

        after.ImportState(before.ExportState());

        Assert.AreEqual(new DlmsDoubleLongUnsigned(4321), after.Read(2, context));
    }

    [TestMethod]
    public void ImportState_LiveRegisterAfterReset_KeepsResetValue()
    {
        FakeTimeProvider clock = TestCosem.NewClock();
        CosemContext context = TestCosem.Context(clock);
        CosemObject before = Register(3, 350, (2, new DlmsDoubleLongUnsigned(1000)));
        clock.Advance(TimeSpan.FromHours(2));
        before.Invoke(1, new DlmsInteger(0), context);

        CosemObject after = Register(3, 350, (2, new DlmsDoubleLongUnsigned(1000)));
        after.ImportState(before.ExportState());

        // Reset at 2 h read 0; after the restart the value must not be 1000 + 700.
        Assert.AreEqual(new DlmsDoubleLongUnsigned(0), after.Read(2, context));
    }
}
