using Smets1Sim.Cosem.Tests.Fakes;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Cosem.Tests.Classes;

[TestClass]
public sealed class AttributeBagObjectTests
{
    private static readonly CosemContext Context = TestCosem.Context(TestCosem.NewClock());

    private static CosemObject Data(DlmsValue value) => TestCosem.Create(1, "0-0:96.1.0.255", (2, value));

    [TestMethod]
    public void Set_SameType_StoresValue()
    {
        CosemObject o = Data(new DlmsDoubleLongUnsigned(1));

        Assert.AreEqual(DataAccessResult.Success, o.Set(2, new DlmsDoubleLongUnsigned(42), null, Context));

        Assert.AreEqual(new DlmsDoubleLongUnsigned(42), o.Read(2, Context));
    }

    [TestMethod]
    public void Set_DifferentType_TypeUnmatchedAndValueKept()
    {
        CosemObject o = Data(new DlmsDoubleLongUnsigned(1));

        Assert.AreEqual(DataAccessResult.TypeUnmatched, o.Set(2, new DlmsLongUnsigned(42), null, Context));

        Assert.AreEqual(new DlmsDoubleLongUnsigned(1), o.Read(2, Context));
    }

    [TestMethod]
    public void Set_StructureWithDifferentElementTypes_TypeUnmatched()
    {
        CosemObject o = Data(DlmsValue.Structure(new DlmsInteger(0), new DlmsEnum(30)));

        Assert.AreEqual(DataAccessResult.TypeUnmatched, o.Set(2, DlmsValue.Structure(new DlmsUnsigned(0), new DlmsEnum(30)), null, Context));
        Assert.AreEqual(DataAccessResult.TypeUnmatched, o.Set(2, DlmsValue.Structure(new DlmsInteger(0)), null, Context));
    }

    [TestMethod]
    public void Set_StructureWithSameElementTypes_Success()
    {
        CosemObject o = Data(DlmsValue.Structure(new DlmsInteger(0), new DlmsEnum(30)));

        Assert.AreEqual(DataAccessResult.Success, o.Set(2, DlmsValue.Structure(new DlmsInteger(-3), new DlmsEnum(33)), null, Context));
    }

    [TestMethod]
    public void Set_ArrayOfOtherLength_Success()
    {
        CosemObject o = Data(DlmsValue.Array(new DlmsUnsigned(1)));

        Assert.AreEqual(DataAccessResult.Success, o.Set(2, DlmsValue.Array(new DlmsUnsigned(1), new DlmsUnsigned(2)), null, Context));
    }

    [TestMethod]
    public void Set_NeverValued_TakesFirstTypeWritten()
    {
        CosemObject o = TestCosem.Create(1, "0-0:96.1.0.255");

        Assert.AreEqual(DlmsValue.Null, o.Read(2, Context));
        Assert.AreEqual(DataAccessResult.Success, o.Set(2, new DlmsUnsigned(7), null, Context));
        Assert.AreEqual(DataAccessResult.TypeUnmatched, o.Set(2, new DlmsLong(7), null, Context));
    }

    [TestMethod]
    public void Set_WithSelectiveAccess_ScopeOfAccessViolated()
    {
        CosemObject o = Data(new DlmsUnsigned(1));

        Assert.AreEqual(DataAccessResult.ScopeOfAccessViolated, o.Set(2, new DlmsUnsigned(2), new SelectiveAccessDescriptor(1, DlmsValue.Null), Context));
        Assert.AreEqual(new DlmsUnsigned(1), o.Read(2, Context));
    }

    [TestMethod]
    public void Get_WithSelectiveAccess_ScopeOfAccessViolated()
    {
        CosemObject o = Data(new DlmsUnsigned(1));

        GetResult result = o.Get(2, new SelectiveAccessDescriptor(1, DlmsValue.Null), Context);

        Assert.AreEqual(DataAccessResult.ScopeOfAccessViolated, result.Result);
        Assert.IsNull(result.Value);
    }

    [TestMethod]
    public void Set_Success_RaisesAttributeChangedOnce()
    {
        CosemObject o = Data(new DlmsUnsigned(1));
        var changes = new List<(CosemObject, int)>();
        o.AttributeChanged += (sender, id) => changes.Add((sender, id));

        o.Set(2, new DlmsUnsigned(2), null, Context);

        Assert.HasCount(1, changes);
        Assert.AreSame(o, changes[0].Item1);
        Assert.AreEqual(2, changes[0].Item2);
    }

    [TestMethod]
    public void Set_Refused_RaisesNoAttributeChanged()
    {
        CosemObject o = Data(new DlmsUnsigned(1));
        int changes = 0;
        o.AttributeChanged += (_, _) => changes++;

        o.Set(2, new DlmsLong(2), null, Context);
        o.Set(2, new DlmsUnsigned(2), new SelectiveAccessDescriptor(1, DlmsValue.Null), Context);
        o.Set(3, new DlmsUnsigned(2), null, Context);

        Assert.AreEqual(0, changes);
    }

    [TestMethod]
    public void ExportState_ImportState_RoundTrip()
    {
        CosemObject before = Data(new DlmsUnsigned(1));
        before.Set(2, new DlmsUnsigned(99), null, Context);
        CosemObject after = Data(new DlmsUnsigned(1));

        after.ImportState(before.ExportState());

        Assert.AreEqual(new DlmsUnsigned(99), after.Read(2, Context));
    }

    [TestMethod]
    public void ExportState_ExcludesLogicalName()
    {
        IReadOnlyDictionary<int, DlmsValue> state = Data(new DlmsUnsigned(1)).ExportState();

        Assert.IsFalse(state.ContainsKey(1));
        Assert.AreEqual(new DlmsUnsigned(1), state[2]);
    }

    [TestMethod]
    public void ImportState_MismatchedTypeOrUnknownId_Ignored()
    {
        CosemObject o = Data(new DlmsUnsigned(1));

        o.ImportState(new Dictionary<int, DlmsValue> { [1] = ObisCode.Parse("1-0:1.8.0.255").ToOctetString(), [2] = new DlmsLong(5), [3] = new DlmsUnsigned(5) });

        Assert.AreEqual(new DlmsUnsigned(1), o.Read(2, Context));
        Assert.AreEqual(ObisCode.Parse("0-0:96.1.0.255"), o.LogicalName);
        Assert.IsFalse(o.ExportState().ContainsKey(3));
    }

    [TestMethod]
    public void ImportState_RaisesNoAttributeChanged()
    {
        CosemObject o = Data(new DlmsUnsigned(1));
        int changes = 0;
        o.AttributeChanged += (_, _) => changes++;

        o.ImportState(new Dictionary<int, DlmsValue> { [2] = new DlmsUnsigned(5) });

        Assert.AreEqual(0, changes);
    }

    [TestMethod]
    public void ImportState_AttributeDefinedAsNullDataThenSet_RestoresValue()
    {
        CosemObject before = Data(DlmsValue.Null);
        Assert.AreEqual(DataAccessResult.Success, before.Set(2, new DlmsUnsigned(7), null, Context));
        CosemObject after = Data(DlmsValue.Null);

        after.ImportState(before.ExportState());

        Assert.AreEqual(new DlmsUnsigned(7), after.Read(2, Context));
    }
}
