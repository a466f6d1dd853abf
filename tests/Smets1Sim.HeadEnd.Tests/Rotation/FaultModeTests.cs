using Smets1Sim.Devices.Fleet;
using Smets1Sim.Devices.Profiles;
using Smets1Sim.Devices.Runtime;
using Smets1Sim.HeadEnd.Rotation;
using Smets1Sim.HeadEnd.Store;
using Smets1Sim.HeadEnd.Tests.Fakes;

namespace Smets1Sim.HeadEnd.Tests.Rotation;

/// <summary>
/// Every device fault mode of docs/fleet-file.md "Faults", once and persistent, on all four device types: the
/// campaign ends with each device reachable with the keys the store calls active, and a fault that fires once ends
/// with new keys active.
/// </summary>
[TestClass]
public sealed class FaultModeTests
{
    public TestContext TestContext { get; set; } = null!;

    public static IEnumerable<object[]> Faults()
    {
        foreach (bool once in (bool[])[true, false])
        {
            yield return ["after-aarq", new FaultOptions { DropConnectionAt = FaultPoint.AfterAarq, OnlyOnce = once }, once];
            yield return ["after-key-transfer-received", new FaultOptions { DropConnectionAt = FaultPoint.AfterKeyTransferReceived, OnlyOnce = once }, once];
            yield return ["after-key-transfer-persisted", new FaultOptions { DropConnectionAt = FaultPoint.AfterKeyTransferPersisted, OnlyOnce = once }, once];
            yield return ["before-response", new FaultOptions { DropConnectionAt = FaultPoint.BeforeResponse, OnlyOnce = once }, once];
            yield return ["refuse-key-transfer", new FaultOptions { RefuseKeyTransfer = true, OnlyOnce = once }, once];
            yield return ["power-loss-before-persist", new FaultOptions { PowerLossBeforePersist = true, OnlyOnce = once }, once];
        }

        yield return ["delay-responses", new FaultOptions { DelayResponsesMs = 30, OnlyOnce = false }, true];
    }

    [TestMethod]
    [DynamicData(nameof(Faults))]
    public async Task Rotate_DeviceFault_EndsReachableWithTheActiveKeys(string name, FaultOptions fault, bool expectRotated)
    {
        CancellationToken ct = TestContext.CancellationToken;
        await using HeadEndFixture f = HeadEndFixture.Start(edit: d => d with { Faults = fault });
        var options = new RotationOptions { InitialBackoff = TimeSpan.FromMilliseconds(1), MaxBackoff = TimeSpan.FromMilliseconds(5), MaxAttempts = 4 };

        CampaignSummary summary = await new RotationCampaign(f.Store, options).RunAsync(f.Store.DeviceIds(), 4, null, ct);

        string report = $"{name}: " + string.Join("; ", summary.Results.Select(r => $"{r.DeviceId} {r.Outcome} {r.Step} {r.Reason}"));
        if (expectRotated)
        {
            Assert.IsTrue(summary.AllSucceeded, report);
        }
        else
        {
            Assert.IsTrue(summary.Results.All(r => r.Succeeded || r.Step is not null && r.Reason is not null), report);
        }

        await f.ClearFaultsAndRestartAsync();
        foreach (DeviceStatus status in f.Store.Status().Where(s => s.PendingGeneration is null))
        {
            await f.AssertReachableWithActiveKeysAsync(status.Device.Id, ct, $"{name}: ");
        }

        // Whatever is still pending, the next run settles; then every device agrees with the store.
        CampaignSummary after = await new RotationCampaign(f.Store, options).RunAsync(f.Store.DeviceIds(), 4, null, ct);
        Assert.IsTrue(after.AllSucceeded, $"{name} (second run): " + string.Join("; ", after.Results.Select(r => $"{r.DeviceId} {r.Outcome} {r.Step} {r.Reason}")));
        foreach (FleetDevice d in f.Fleet.Devices)
        {
            await f.AssertReachableWithActiveKeysAsync(d.Id, ct, $"{name}: ");
        }
    }

    [TestMethod]
    public async Task Rotate_RefusedKeyTransfer_ReportedWithStepAndReasonAndKeepsActiveKeys()
    {
        CancellationToken ct = TestContext.CancellationToken;
        await using HeadEndFixture f = HeadEndFixture.Start(edit: d => d with { Faults = new FaultOptions { RefuseKeyTransfer = true, OnlyOnce = false } });
        string esme = f.Device("esme").Id;
        var options = new RotationOptions { InitialBackoff = TimeSpan.FromMilliseconds(1), MaxBackoff = TimeSpan.FromMilliseconds(2), MaxAttempts = 2 };

        DeviceRotationResult result = await new RotationCampaign(f.Store, options).RotateWithRetriesAsync(esme, null, ct);

        Assert.AreEqual(RotationOutcome.Failed, result.Outcome);
        Assert.AreEqual(RotationSteps.Transfer, result.Step);
        StringAssert.Contains(result.Reason, "TemporaryFailure");
        Assert.AreEqual(0L, f.Store.GetDevice(esme).KeyGeneration);
        Assert.IsNull(f.Store.Status().Single(s => s.Device.Id == esme).PendingGeneration);
        StringAssert.StartsWith(f.Store.GetDevice(esme).LastRotationOutcome, "failed at transfer");
        await f.AssertReachableWithActiveKeysAsync(esme, ct);
    }

    [TestMethod]
    public async Task Rotate_ResponsesSlowerThanTheTimeout_SettlesAndEndsConsistent()
    {
        CancellationToken ct = TestContext.CancellationToken;
        await using HeadEndFixture f = HeadEndFixture.Start(edit: d => d with { Faults = new FaultOptions { DelayResponsesMs = 400, OnlyOnce = true } });
        var options = new RotationOptions { ResponseTimeout = TimeSpan.FromMilliseconds(150), InitialBackoff = TimeSpan.FromMilliseconds(1), MaxAttempts = 3 };

        await new RotationCampaign(f.Store, options).RunAsync(f.Store.DeviceIds(), 4, null, ct);
        await f.ClearFaultsAndRestartAsync();
        CampaignSummary after = await new RotationCampaign(f.Store, new RotationOptions()).RunAsync(f.Store.DeviceIds(), 4, null, ct);

        Assert.IsTrue(after.AllSucceeded, string.Join("; ", after.Results.Select(r => $"{r.DeviceId} {r.Step} {r.Reason}")));
        foreach (FleetDevice d in f.Fleet.Devices)
        {
            await f.AssertReachableWithActiveKeysAsync(d.Id, ct);
        }
    }
}
