using Smets1Sim.Devices.Fleet;
using Smets1Sim.Devices.Profiles;
using Smets1Sim.Devices.Runtime;
using Smets1Sim.HeadEnd.Rotation;
using Smets1Sim.HeadEnd.Store;
using Smets1Sim.HeadEnd.Tests.Fakes;

namespace Smets1Sim.HeadEnd.Tests.Rotation;

/// <summary>
/// Seeded randomized fault runs: each device of a 100-device fleet gets a random device fault (or none, once or
/// persistent) and the head-end "dies" at a random checkpoint of its rotation (or not); then the devices are power
/// cycled, the next run settles what is pending, and every device must open with the keys the store calls active.
/// Four seeds, 400 fault runs, zero lockouts. A failure prints the seed to reproduce it.
/// </summary>
[TestClass]
public sealed class RandomizedFaultTests
{
    private const int Premises = 25;

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DataRow(11)]
    [DataRow(23)]
    [DataRow(37)]
    [DataRow(41)]
    public async Task Rotate_RandomFaultsAndCrashes_NoLockout(int seed)
    {
        CancellationToken ct = TestContext.CancellationToken;
        var random = new Random(seed);
        var crashAt = new Dictionary<string, RotationCheckpoint?>();
        await using HeadEndFixture f = HeadEndFixture.Start(Premises, d =>
        {
            crashAt[d.Id] = random.Next(3) == 0 ? (RotationCheckpoint)random.Next(4) : null;
            return d with { Faults = RandomFault(random) };
        });
        string[] keySets = ["ek,ak", "ek,ak,kek", "ek", "kek"];
        var owner = LeaseOwner.ForThisProcess();
        var options = new RotationOptions
        {
            Keys = KeyNames.ParseList(keySets[random.Next(keySets.Length)]),
            ResponseTimeout = TimeSpan.FromSeconds(5),
            InitialBackoff = TimeSpan.FromMilliseconds(1),
            MaxBackoff = TimeSpan.FromMilliseconds(4),
            MaxAttempts = 3,
            Checkpoint = (id, point, _) => crashAt[id] == point ? throw new SimulatedCrashException(id, point) : Task.CompletedTask,
        };
        var campaign = new RotationCampaign(f.Store, options, owner: owner);
        int crashes = 0;
        await Parallel.ForEachAsync(f.Store.DeviceIds(), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (id, token) =>
        {
            try
            {
                await campaign.RotateWithRetriesAsync(id, null, token);
            }
            catch (SimulatedCrashException)
            {
                Interlocked.Increment(ref crashes);
            }
        });

        // Power cycle without faults; the "restarted" head-end (same owner: its leases are its own) settles everything.
        await f.ClearFaultsAndRestartAsync();
        CampaignSummary after = await new RotationCampaign(f.Store, options with { Checkpoint = null }, owner: owner).RunAsync(f.Store.DeviceIds(), 4, null, ct);

        Assert.IsTrue(after.AllSucceeded, $"seed {seed}: " + string.Join("; ", after.Results.Where(r => !r.Succeeded).Select(r => $"{r.DeviceId} {r.Step} {r.Reason}")));
        foreach (FleetDevice d in f.Fleet.Devices)
        {
            await f.AssertReachableWithActiveKeysAsync(d.Id, ct, $"seed {seed} (fault {d.Faults?.ToString() ?? "none"}, crash {crashAt[d.Id]}): ");
        }

        Assert.IsTrue(f.Store.Status().All(s => s.PendingGeneration is null), $"seed {seed}: nothing left pending");
        TestContext.WriteLine($"seed {seed}: {Premises * 4} devices, {crashes} simulated crashes, all consistent");
    }

    private static FaultOptions? RandomFault(Random random)
    {
        bool once = random.Next(4) != 0;
        return random.Next(8) switch
        {
            0 => null,
            1 => new FaultOptions { DropConnectionAt = FaultPoint.AfterAarq, OnlyOnce = once },
            2 => new FaultOptions { DropConnectionAt = FaultPoint.AfterKeyTransferReceived, OnlyOnce = once },
            3 => new FaultOptions { DropConnectionAt = FaultPoint.AfterKeyTransferPersisted, OnlyOnce = once },
            4 => new FaultOptions { DropConnectionAt = FaultPoint.BeforeResponse, OnlyOnce = once },
            5 => new FaultOptions { RefuseKeyTransfer = true, OnlyOnce = once },
            6 => new FaultOptions { PowerLossBeforePersist = true, OnlyOnce = once },
            _ => new FaultOptions { DelayResponsesMs = random.Next(1, 20), OnlyOnce = once },
        };
    }

    private sealed class SimulatedCrashException(string deviceId, RotationCheckpoint point)
        : Exception($"simulated head-end crash at {point} of {deviceId}");
}
