using Smets1Sim.Cosem.Classes;
using Smets1Sim.Cosem.Tests.Fakes;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Cosem.Tests.Classes;

[TestClass]
public sealed class ProfileGenericObjectTests
{
    private static readonly ObisCode EventLog = ObisCode.Parse("0-0:99.98.0.255");

    // capture_object_definition {class_id, logical_name, attribute_index, data_index} (Blue Book 4.3.6).
    private static readonly DlmsStructure ClockColumn = DlmsValue.Structure(
        new DlmsLongUnsigned(8), ObisCode.Parse("0-0:1.0.0.255").ToOctetString(), new DlmsInteger(2), new DlmsLongUnsigned(0));

    private static readonly DlmsStructure EventCodeColumn = DlmsValue.Structure(
        new DlmsLongUnsigned(1), ObisCode.Parse("0-0:96.11.0.255").ToOctetString(), new DlmsInteger(2), new DlmsLongUnsigned(0));

    private static readonly CosemContext Context = TestCosem.Context(TestCosem.NewClock());

    private static ProfileGenericObject Log(uint profileEntries = 100)
        => (ProfileGenericObject)TestCosem.Create(7, "0-0:99.98.0.255",
            (3, DlmsValue.Array(ClockColumn, EventCodeColumn)), (8, new DlmsDoubleLongUnsigned(profileEntries)));

    /// <summary>Row n: {time Start + n hours, event code n}.</summary>
    private static DlmsStructure Row(int n) => DlmsValue.Structure(TestCosem.DateTime(TestCosem.Start.AddHours(n)), new DlmsLongUnsigned((ushort)n));

    private static ProfileGenericObject LogWithRows(int count)
    {
        ProfileGenericObject log = Log();
        for (int n = 1; n <= count; n++)
        {
            log.Append(Row(n));
        }

        return log;
    }

    private static SelectiveAccessDescriptor ByEntry(uint from, uint to, ushort fromColumn = 0, ushort toColumn = 0)
        => new(2, DlmsValue.Structure(new DlmsDoubleLongUnsigned(from), new DlmsDoubleLongUnsigned(to), new DlmsLongUnsigned(fromColumn), new DlmsLongUnsigned(toColumn)));

    private static SelectiveAccessDescriptor ByRange(DlmsStructure column, DlmsValue from, DlmsValue to, DlmsArray? selected = null)
        => new(1, DlmsValue.Structure(column, from, to, selected ?? DlmsValue.Array()));

    private static DlmsArray Rows(params int[] numbers) => new([.. numbers.Select(n => (DlmsValue)Row(n))]);

    [TestMethod]
    public void Create_Defaults_EmptyBufferAndHundredEntries()
    {
        ProfileGenericObject log = (ProfileGenericObject)TestCosem.Create(7, "0-0:99.98.0.255");

        Assert.AreEqual(DlmsValue.Array(), log.Read(2, Context));
        Assert.AreEqual(new DlmsDoubleLongUnsigned(0), log.Read(7, Context));
        Assert.AreEqual(new DlmsDoubleLongUnsigned(100), log.Read(8, Context));
        Assert.AreEqual(new DlmsEnum(1), log.Read(5, Context));
    }

    [TestMethod]
    public void Append_UnderCapacity_KeepsOrderAndCountsEntries()
    {
        ProfileGenericObject log = LogWithRows(3);

        Assert.AreEqual(Rows(1, 2, 3), log.Read(2, Context));
        Assert.AreEqual(new DlmsDoubleLongUnsigned(3), log.Read(7, Context));
    }

    [TestMethod]
    public void Append_BeyondProfileEntries_DropsOldestFirst()
    {
        ProfileGenericObject log = Log(profileEntries: 3);

        for (int n = 1; n <= 5; n++)
        {
            log.Append(Row(n));
        }

        Assert.AreEqual(Rows(3, 4, 5), log.Read(2, Context));
        Assert.AreEqual(new DlmsDoubleLongUnsigned(3), log.Read(7, Context));
        Assert.HasCount(3, log.Rows);
    }

    [TestMethod]
    public void Append_OneChangeForTheBuffer_EntriesInUseDerived()
    {
        ProfileGenericObject log = Log();
        var changes = new List<int>();
        log.AttributeChanged += (_, id) => changes.Add(id);

        log.Append(Row(1));

        // One durable write per event: entries_in_use is the buffer's length, read not stored.
        CollectionAssert.AreEqual(new[] { 2 }, changes);
        Assert.AreEqual(new DlmsDoubleLongUnsigned(1), log.Get(7, null, Context).Value);
    }

    [TestMethod]
    public void Invoke_Reset_EmptiesBufferAndEntriesInUse()
    {
        ProfileGenericObject log = LogWithRows(4);

        Assert.AreEqual(ActionResult.Success, log.Invoke(1, new DlmsInteger(0), Context).Result);

        Assert.AreEqual(DlmsValue.Array(), log.Read(2, Context));
        Assert.AreEqual(new DlmsDoubleLongUnsigned(0), log.Read(7, Context));
    }

    [TestMethod]
    public void Invoke_CaptureWithSource_AppendsRow()
    {
        var log = new ProfileGenericObject(TestCosem.Info(7), EventLog, new Dictionary<int, DlmsValue>(), () => Row(9));

        Assert.AreEqual(ActionResult.Success, log.Invoke(2, new DlmsInteger(0), Context).Result);

        Assert.AreEqual(Rows(9), log.Read(2, Context));
        Assert.AreEqual(new DlmsDoubleLongUnsigned(1), log.Read(7, Context));
    }

    [TestMethod]
    public void Invoke_CaptureWithoutSource_TemporaryFailure()
    {
        Assert.AreEqual(ActionResult.TemporaryFailure, Log().Invoke(2, new DlmsInteger(0), Context).Result);
    }

    [TestMethod]
    [DataRow(2)]
    [DataRow(7)]
    public void Set_BufferOrEntriesInUse_ReadWriteDenied(int attributeId)
    {
        ProfileGenericObject log = LogWithRows(1);

        Assert.AreEqual(DataAccessResult.ReadWriteDenied, log.Set(attributeId, attributeId == 2 ? DlmsValue.Array() : new DlmsDoubleLongUnsigned(0), null, Context));
        Assert.HasCount(1, log.Rows);
    }

    [TestMethod]
    [DataRow(2u, 3u, new[] { 2, 3 }, DisplayName = "middle")]
    [DataRow(1u, 5u, new[] { 1, 2, 3, 4, 5 }, DisplayName = "all")]
    [DataRow(4u, 0u, new[] { 4, 5 }, DisplayName = "to_entry 0 = last")]
    [DataRow(3u, 99u, new[] { 3, 4, 5 }, DisplayName = "to_entry beyond last")]
    [DataRow(5u, 5u, new[] { 5 }, DisplayName = "single")]
    [DataRow(4u, 2u, new int[0], DisplayName = "from > to")]
    [DataRow(6u, 0u, new int[0], DisplayName = "from beyond last")]
    public void Get_ByEntry_SelectsOneBasedRows(uint from, uint to, int[] expected)
    {
        ProfileGenericObject log = LogWithRows(5);

        DlmsValue rows = log.Read(2, Context, ByEntry(from, to));

        Assert.AreEqual(Rows(expected), rows);
    }

    [TestMethod]
    public void Get_ByEntrySecondColumnOnly_RowsOfOneValue()
    {
        ProfileGenericObject log = LogWithRows(3);

        DlmsValue rows = log.Read(2, Context, ByEntry(2, 0, 2, 2));

        Assert.AreEqual(DlmsValue.Array(DlmsValue.Structure(new DlmsLongUnsigned(2)), DlmsValue.Structure(new DlmsLongUnsigned(3))), rows);
    }

    [TestMethod]
    public void Get_ByEntryToColumnZero_ColumnsToLast()
    {
        ProfileGenericObject log = LogWithRows(1);

        Assert.AreEqual(DlmsValue.Array(DlmsValue.Structure(new DlmsLongUnsigned(1))), log.Read(2, Context, ByEntry(1, 0, 2, 0)));
        Assert.AreEqual(DlmsValue.Array(DlmsValue.Structure(TestCosem.DateTime(TestCosem.Start.AddHours(1)))), log.Read(2, Context, ByEntry(1, 0, 1, 1)));
    }

    [TestMethod]
    public void Get_ByEntryEmptyBuffer_EmptyArray()
    {
        Assert.AreEqual(DlmsValue.Array(), Log().Read(2, Context, ByEntry(1, 0)));
    }

    [TestMethod]
    public void Get_ByRangeOnDateTimeColumn_RowsWithinInclusiveBounds()
    {
        ProfileGenericObject log = LogWithRows(5);

        DlmsValue rows = log.Read(2, Context, ByRange(ClockColumn, TestCosem.DateTime(TestCosem.Start.AddHours(2)), TestCosem.DateTime(TestCosem.Start.AddHours(4))));

        Assert.AreEqual(Rows(2, 3, 4), rows);
    }

    [TestMethod]
    public void Get_ByRangeBetweenRows_RowsStrictlyInside()
    {
        ProfileGenericObject log = LogWithRows(5);

        DlmsValue rows = log.Read(2, Context, ByRange(ClockColumn, TestCosem.DateTime(TestCosem.Start.AddMinutes(90)), TestCosem.DateTime(TestCosem.Start.AddMinutes(150))));

        Assert.AreEqual(Rows(2), rows);
    }

    [TestMethod]
    public void Get_ByRangeNothingInRange_EmptyArray()
    {
        ProfileGenericObject log = LogWithRows(5);

        DlmsValue rows = log.Read(2, Context, ByRange(ClockColumn, TestCosem.DateTime(TestCosem.Start.AddDays(1)), TestCosem.DateTime(TestCosem.Start.AddDays(2))));

        Assert.AreEqual(DlmsValue.Array(), rows);
    }

    [TestMethod]
    public void Get_ByRangeOnNumericColumn_RowsWithinBounds()
    {
        ProfileGenericObject log = LogWithRows(5);

        DlmsValue rows = log.Read(2, Context, ByRange(EventCodeColumn, new DlmsLongUnsigned(4), new DlmsDoubleLongUnsigned(10)));

        Assert.AreEqual(Rows(4, 5), rows);
    }

    [TestMethod]
    public void Get_ByRangeIncomparableBounds_EmptyArray()
    {
        ProfileGenericObject log = LogWithRows(3);

        DlmsValue rows = log.Read(2, Context, ByRange(ClockColumn, new DlmsLongUnsigned(0), new DlmsLongUnsigned(100)));

        Assert.AreEqual(DlmsValue.Array(), rows);
    }

    [TestMethod]
    public void Get_ByRangeWithSelectedValues_ReturnsOnlySelectedColumns()
    {
        ProfileGenericObject log = LogWithRows(2);

        DlmsValue rows = log.Read(2, Context, ByRange(ClockColumn, TestCosem.DateTime(TestCosem.Start), TestCosem.DateTime(TestCosem.Start.AddDays(1)), DlmsValue.Array(EventCodeColumn)));

        Assert.AreEqual(DlmsValue.Array(DlmsValue.Structure(new DlmsLongUnsigned(1)), DlmsValue.Structure(new DlmsLongUnsigned(2))), rows);
    }

    public static IEnumerable<object[]> InvalidDescriptors()
    {
        DlmsDateTime from = TestCosem.DateTime(TestCosem.Start);
        yield return ["EntryNotStructure", new SelectiveAccessDescriptor(2, new DlmsDoubleLongUnsigned(1)), DataAccessResult.TypeUnmatched];
        yield return ["EntryThreeItems", new SelectiveAccessDescriptor(2, DlmsValue.Structure(new DlmsDoubleLongUnsigned(1), new DlmsDoubleLongUnsigned(0), new DlmsLongUnsigned(0))), DataAccessResult.TypeUnmatched];
        yield return ["EntryWrongTypes", new SelectiveAccessDescriptor(2, DlmsValue.Structure(new DlmsLongUnsigned(1), new DlmsLongUnsigned(0), new DlmsLongUnsigned(0), new DlmsLongUnsigned(0))), DataAccessResult.TypeUnmatched];
        yield return ["RangeNotStructure", new SelectiveAccessDescriptor(1, DlmsValue.Null), DataAccessResult.TypeUnmatched];
        yield return ["RangeThreeItems", new SelectiveAccessDescriptor(1, DlmsValue.Structure(ClockColumn, from, from)), DataAccessResult.TypeUnmatched];
        yield return ["RangeRestrictingNotStructure", new SelectiveAccessDescriptor(1, DlmsValue.Structure(new DlmsLongUnsigned(8), from, from, DlmsValue.Array())), DataAccessResult.TypeUnmatched];
        yield return ["RangeSelectedNotArray", new SelectiveAccessDescriptor(1, DlmsValue.Structure(ClockColumn, from, from, DlmsValue.Null)), DataAccessResult.TypeUnmatched];
        yield return ["RangeUnknownColumn", ByRange(DlmsValue.Structure(new DlmsLongUnsigned(3), ObisCode.Parse("1-0:1.8.0.255").ToOctetString(), new DlmsInteger(2), new DlmsLongUnsigned(0)), from, from), DataAccessResult.OtherReason];
        yield return ["UnknownSelector", new SelectiveAccessDescriptor(3, DlmsValue.Null), DataAccessResult.OtherReason];
        yield return ["SelectorZero", new SelectiveAccessDescriptor(0, DlmsValue.Null), DataAccessResult.OtherReason];
    }

    [TestMethod]
    [DynamicData(nameof(InvalidDescriptors))]
    public void Get_InvalidDescriptor_FailureWithoutException(string defect, SelectiveAccessDescriptor access, DataAccessResult expected)
    {
        ProfileGenericObject log = LogWithRows(3);

        GetResult result = log.Get(2, access, Context);

        Assert.AreEqual(expected, result.Result, defect);
        Assert.IsNull(result.Value, defect);
    }

    [TestMethod]
    public void Get_SelectiveAccessOnOtherAttribute_ScopeOfAccessViolated()
    {
        Assert.AreEqual(DataAccessResult.ScopeOfAccessViolated, Log().Get(3, ByEntry(1, 0), Context).Result);
    }

    [TestMethod]
    public void Create_BufferWithNonStructureRow_RefusedAsConfiguration()
    {
        // Rows are structures (one value per capture object); anything else is a profile error, never a cast failure later.
        Assert.ThrowsExactly<CosemConfigurationException>(() => TestCosem.Create(7, "0-0:99.98.0.255", (2, DlmsValue.Array(new DlmsUnsigned(1)))));
    }

    [TestMethod]
    public void ExportState_ImportState_KeepsBuffer()
    {
        ProfileGenericObject before = LogWithRows(2);
        ProfileGenericObject after = Log();

        after.ImportState(before.ExportState());

        Assert.AreEqual(Rows(1, 2), after.Read(2, Context));
        Assert.AreEqual(new DlmsDoubleLongUnsigned(2), after.Read(7, Context));
    }
}
