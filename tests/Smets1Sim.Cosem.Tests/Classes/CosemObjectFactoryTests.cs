using Smets1Sim.Cosem.Classes;
using Smets1Sim.Cosem.Tests.Fakes;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Cosem.Tests.Classes;

[TestClass]
public sealed class CosemObjectFactoryTests
{
    private static readonly ObisCode Ln = ObisCode.Parse("0-0:96.1.0.255");

    private static CosemConfigurationException CreateFails(ushort classId, params (int Id, DlmsValue Value)[] values)
        => Assert.ThrowsExactly<CosemConfigurationException>(() => CosemObjectFactory.Create(classId, Ln, values.ToDictionary(v => v.Id, v => v.Value)));

    [TestMethod]
    public void Create_UnknownClass_ThrowsNamingTheClass()
    {
        CosemConfigurationException ex = CreateFails(2);

        Assert.Contains("class 2", ex.Message);
    }

    [TestMethod]
    [DataRow((ushort)1, 0)]
    [DataRow((ushort)1, 1)]
    [DataRow((ushort)1, 3)]
    [DataRow((ushort)3, 4)]
    [DataRow((ushort)112, 12)]
    public void Create_AttributeIdOutOfRange_ThrowsNamingTheAttribute(ushort classId, int attributeId)
    {
        CosemConfigurationException ex = CreateFails(classId, (attributeId, new DlmsUnsigned(1)));

        Assert.Contains($"attribute {attributeId}", ex.Message);
    }

    [TestMethod]
    [DataRow((ushort)15, 8)]
    [DataRow((ushort)64, 2)]
    public void Create_InitialValueForComputedClass_ThrowsNamingTheAttribute(ushort classId, int attributeId)
    {
        CosemConfigurationException ex = CreateFails(classId, (attributeId, new DlmsEnum(0)));

        Assert.Contains($"attribute {attributeId}", ex.Message);
    }

    [TestMethod]
    [DataRow((ushort)3)]
    [DataRow((ushort)4)]
    public void Create_RegisterValueNotNumeric_ThrowsNamingAttribute2(ushort classId)
    {
        CosemConfigurationException ex = CreateFails(classId, (2, DlmsValue.VisibleString("12")));

        Assert.Contains("attribute 2", ex.Message);
    }

    [TestMethod]
    public void Create_ClockTimeGiven_ThrowsNamingAttribute2()
    {
        CosemConfigurationException ex = CreateFails(8, (2, TestCosem.DateTime(TestCosem.Start)));

        Assert.Contains("attribute 2", ex.Message);
    }

    [TestMethod]
    public void Create_NullValue_ThrowsNamingTheAttribute()
    {
        CosemConfigurationException ex = CreateFails(1, (2, null!));

        Assert.Contains("attribute 2", ex.Message);
    }

    [TestMethod]
    [DataRow(3, DisplayName = "capture_objects not an array")]
    [DataRow(8, DisplayName = "profile_entries not double-long-unsigned")]
    public void Create_ProfileGenericWrongAttributeType_Throws(int attributeId)
    {
        CosemConfigurationException ex = CreateFails(7, (attributeId, new DlmsUnsigned(1)));

        Assert.Contains($"{attributeId}", ex.Message);
    }

    [TestMethod]
    public void Create_ProfileGenericBufferNotArray_ThrowsConfigurationException()
    {
        CosemConfigurationException ex = CreateFails(7, (2, new DlmsUnsigned(1)));

        Assert.Contains("2", ex.Message);
    }

    [TestMethod]
    public void Create_InitialValues_AreServed()
    {
        CosemObject o = TestCosem.Create(1, "0-0:42.0.0.255", (2, DlmsValue.OctetString("SMETS1"u8)));

        Assert.AreEqual(DlmsValue.OctetString("SMETS1"u8), o.Read(2, TestCosem.Context(TestCosem.NewClock())));
    }

    [TestMethod]
    public void Create_SapAssignment_ListIsReadOnly()
    {
        CosemObject o = TestCosem.Create(17, "0-0:41.0.0.255", (2, DlmsValue.Array()));

        Assert.AreEqual(DataAccessResult.ReadWriteDenied, o.Set(2, DlmsValue.Array(), null, TestCosem.Context(TestCosem.NewClock())));
    }
}
