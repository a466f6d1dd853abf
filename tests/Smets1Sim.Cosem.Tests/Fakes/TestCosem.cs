using Microsoft.Extensions.Time.Testing;
using Smets1Sim.Cosem.Classes;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Cosem.Tests.Fakes;

/// <summary>Shared set-up: a fake clock at a fixed instant, contexts, objects from the factory, asserted reads.</summary>
internal static class TestCosem
{
    /// <summary>Saturday 2026-03-14 09:26:53 UTC, where every fake clock starts.</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 14, 9, 26, 53, TimeSpan.Zero);

    public static FakeTimeProvider NewClock() => new(Start);

    public static CosemContext Context(TimeProvider time, IAssociationView? association = null, ISecurityHost? security = null)
        => new(time, association ?? new FakeAssociationView(), security);

    public static CosemClassInfo Info(ushort classId)
        => CosemClassCatalog.TryGet(classId, out CosemClassInfo info) ? info : throw new AssertFailedException($"class {classId} not in the catalog");

    public static CosemObject Create(ushort classId, string logicalName, params (int Id, DlmsValue Value)[] values)
        => CosemObjectFactory.Create(classId, ObisCode.Parse(logicalName), values.ToDictionary(v => v.Id, v => v.Value));

    /// <summary>GET that must succeed; returns the value.</summary>
    public static DlmsValue Read(this CosemObject o, int attributeId, CosemContext context, SelectiveAccessDescriptor? access = null)
    {
        GetResult result = o.Get(attributeId, access, context);
        Assert.AreEqual(DataAccessResult.Success, result.Result, $"GET attribute {attributeId}");
        Assert.IsNotNull(result.Value);
        return result.Value;
    }

    public static DlmsDateTime DateTime(DateTimeOffset value) => new(CosemDateTime.FromDateTimeOffset(value));
}
