using Smets1Sim.Dlms.Security;
using Smets1Sim.Dlms.Xdlms;
using Smets1Sim.HeadEnd.Fleet;
using Smets1Sim.HeadEnd.Policy;
using Smets1Sim.HeadEnd.Store;
using Smets1Sim.Policy.Model;
using KeyKind = Smets1Sim.Policy.Model.KeyKind;
using Smets1Sim.Policy.Policies;
using Smets1Sim.Policy.Reporting;

namespace Smets1Sim.HeadEnd.Tests.Policy;

/// <summary>The key store mapped to the policy engine: a freshly imported fleet under s1sr-20 and ckmp.</summary>
[TestClass]
public sealed class StoreHistoryAdapterTests
{
    private static readonly SystemTitle Client = SystemTitle.Parse("48454E4430303031");

    private static string TempPath() => Path.Combine(Path.GetTempPath(), "smets1sim-report-" + Guid.NewGuid().ToString("N") + ".db");

    private static string RandomHex() => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    private static FleetEntry Entry(string id, string type, DateTimeOffset commissioned) => new(
        id, "P0001", type, "127.0.0.1", 4059, 2, SystemTitle.Parse("534D530000000002"), commissioned,
        WellKnownObis.SecuritySetup(0), new ObisCode(0, 0, 43, 1, 0, 255), 1, 16, RandomHex(), RandomHex(), RandomHex());

    [TestMethod]
    public void FreshlyCommissionedFleet_NoDeviceOverdueOrFailed_UnderBothBuiltInPolicies()
    {
        DateTimeOffset now = TimeProvider.System.GetUtcNow();
        string path = TempPath();
        using SecretKey master = StoreMasterKey.Generate();
        IReadOnlyList<DeviceHistory> fleet;
        using (HeadEndStore store = HeadEndStore.Open(path, master))
        {
            store.Import([Entry("D1", "chf", now.AddMinutes(-5)), Entry("D2", "esme", now.AddMinutes(-5)), Entry("D3", "gpf", now.AddMinutes(-5)), Entry("D4", "ppmid", now.AddMinutes(-5))], Client, "test");
            fleet = StoreHistoryAdapter.Load(store);
        }

        Assert.HasCount(4, fleet);
        DeviceHistory esme = fleet.Single(d => d.DeviceId == "D2");
        Assert.AreEqual(DeviceTypes.Esme, esme.DeviceType);
        Assert.AreEqual("P0001", esme.PremisesId);
        Assert.IsTrue(esme.SupportedKeys.SetEquals([KeyKind.EK, KeyKind.AK, KeyKind.KEK]), string.Join(",", esme.SupportedKeys));
        Assert.IsEmpty(esme.Attempts);
        Assert.AreEqual(now.AddMinutes(-5).ToUnixTimeSeconds(), esme.CommissionedAt.ToUnixTimeSeconds());

        ComplianceReport report = new ComplianceReportBuilder().Build(fleet, [BuiltInPolicies.S1sr20, BuiltInPolicies.Ckmp], now);
        Assert.AreEqual(4, report.DeviceCount);
        Assert.HasCount(2, report.Policies);
        foreach (PolicySummary p in report.Policies)
        {
            Assert.AreEqual(4, p.Counts.Total, p.Name);
            Assert.AreEqual(0, p.Counts.Overdue, p.Name);
            Assert.AreEqual(0, p.Counts.Failed, p.Name);
            Assert.AreEqual(4, p.Counts.Compliant + p.Counts.DueSoon + p.Counts.NotApplicable, p.Name);
            Assert.IsEmpty(p.Attention, p.Name);
        }
    }

    [TestMethod]
    public void LongCommissionedFleet_NeverRotated_IsOverdueUnderS1sr20()
    {
        DateTimeOffset now = TimeProvider.System.GetUtcNow();
        string path = TempPath();
        using SecretKey master = StoreMasterKey.Generate();
        IReadOnlyList<DeviceHistory> fleet;
        using (HeadEndStore store = HeadEndStore.Open(path, master))
        {
            store.Import([Entry("OLD", "esme", now.AddYears(-5)), Entry("NEW", "esme", now.AddMinutes(-5))], Client, "test");
            fleet = StoreHistoryAdapter.Load(store);
        }

        ComplianceReport report = new ComplianceReportBuilder().Build(fleet, [BuiltInPolicies.S1sr20], now);
        PolicySummary s1sr = report.Policies.Single();
        Assert.AreEqual(1, s1sr.Counts.Overdue);
        Assert.IsTrue(s1sr.Attention.All(r => r.DeviceId == "OLD"));
    }
}
