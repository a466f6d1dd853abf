using Smets1Sim.Cosem.Tests.Fakes;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Cosem.Tests;

[TestClass]
public sealed class CosemClassCatalogTests
{
    private const string LogicalName = "0-0:96.1.0.255";

    public static IEnumerable<object[]> ClassIds() => CosemClassCatalog.All.Select(c => new object[] { c.ClassId });

    [TestMethod]
    public void All_EveryEntry_IsFoundByTryGet()
    {
        foreach (CosemClassInfo info in CosemClassCatalog.All)
        {
            Assert.IsTrue(CosemClassCatalog.TryGet(info.ClassId, out CosemClassInfo found));
            Assert.AreEqual(info, found);
        }
    }

    [TestMethod]
    public void TryGet_UnknownClass_ReturnsFalse()
    {
        Assert.IsFalse(CosemClassCatalog.TryGet(2, out _));
    }

    [TestMethod]
    [DynamicData(nameof(ClassIds))]
    public void Create_NoInitialValues_ShapeMatchesCatalog(ushort classId)
    {
        CosemClassInfo info = TestCosem.Info(classId);

        CosemObject o = TestCosem.Create(classId, LogicalName);

        Assert.AreEqual(info.ClassId, o.ClassId);
        Assert.AreEqual(info.Version, o.Version);
        Assert.AreEqual(info.AttributeCount, o.AttributeCount);
        Assert.AreEqual(info.MethodCount, o.MethodCount);
        Assert.AreEqual(ObisCode.Parse(LogicalName), o.LogicalName);
    }

    [TestMethod]
    [DynamicData(nameof(ClassIds))]
    public void Get_Attribute1_ReturnsSixByteLogicalName(ushort classId)
    {
        CosemObject o = TestCosem.Create(classId, LogicalName);

        DlmsValue value = o.Read(1, TestCosem.Context(TestCosem.NewClock()));

        CollectionAssert.AreEqual(Convert.FromHexString("0000600100FF"), ((DlmsOctetString)value).Value.ToArray());
        CollectionAssert.AreEqual(Convert.FromHexString("09060000600100FF"), value.ToArray());
    }

    [TestMethod]
    [DynamicData(nameof(ClassIds))]
    public void Get_Attribute1WithSelectiveAccess_ScopeOfAccessViolated(ushort classId)
    {
        CosemObject o = TestCosem.Create(classId, LogicalName);

        GetResult result = o.Get(1, new SelectiveAccessDescriptor(2, DlmsValue.Null), TestCosem.Context(TestCosem.NewClock()));

        Assert.AreEqual(DataAccessResult.ScopeOfAccessViolated, result.Result);
    }

    [TestMethod]
    [DynamicData(nameof(ClassIds))]
    public void Get_AttributeOutOfRange_ObjectUndefined(ushort classId)
    {
        CosemObject o = TestCosem.Create(classId, LogicalName);
        CosemContext context = TestCosem.Context(TestCosem.NewClock());

        Assert.AreEqual(DataAccessResult.ObjectUndefined, o.Get(0, null, context).Result);
        Assert.AreEqual(DataAccessResult.ObjectUndefined, o.Get(o.AttributeCount + 1, null, context).Result);
        Assert.IsNull(o.Get(o.AttributeCount + 1, null, context).Value);
    }

    [TestMethod]
    [DynamicData(nameof(ClassIds))]
    public void Set_AttributeOutOfRange_ObjectUndefined(ushort classId)
    {
        CosemObject o = TestCosem.Create(classId, LogicalName);
        CosemContext context = TestCosem.Context(TestCosem.NewClock());

        Assert.AreEqual(DataAccessResult.ObjectUndefined, o.Set(0, new DlmsUnsigned(1), null, context));
        Assert.AreEqual(DataAccessResult.ObjectUndefined, o.Set(o.AttributeCount + 1, new DlmsUnsigned(1), null, context));
    }

    [TestMethod]
    [DynamicData(nameof(ClassIds))]
    public void Invoke_MethodOutOfRange_ObjectUndefined(ushort classId)
    {
        CosemObject o = TestCosem.Create(classId, LogicalName);
        CosemContext context = TestCosem.Context(TestCosem.NewClock());

        Assert.AreEqual(ActionResult.ObjectUndefined, o.Invoke(0, null, context).Result);
        Assert.AreEqual(ActionResult.ObjectUndefined, o.Invoke(o.MethodCount + 1, null, context).Result);
    }

    [TestMethod]
    [DynamicData(nameof(ClassIds))]
    public void Set_Attribute1_ReadWriteDeniedAndNoEvent(ushort classId)
    {
        CosemObject o = TestCosem.Create(classId, LogicalName);
        int changes = 0;
        o.AttributeChanged += (_, _) => changes++;

        DataAccessResult result = o.Set(1, ObisCode.Parse("1-0:1.8.0.255").ToOctetString(), null, TestCosem.Context(TestCosem.NewClock()));

        Assert.AreEqual(DataAccessResult.ReadWriteDenied, result);
        Assert.AreEqual(ObisCode.Parse(LogicalName), o.LogicalName);
        Assert.AreEqual(0, changes);
    }
}
