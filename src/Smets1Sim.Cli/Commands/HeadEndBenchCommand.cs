using System.CommandLine;
using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Smets1Sim.Devices.Fleet;
using Smets1Sim.Devices.Hosting;
using Smets1Sim.Devices.Profiles;
using Smets1Sim.Devices.State;
using Smets1Sim.Dlms.Security;
using Smets1Sim.HeadEnd.Fleet;
using Smets1Sim.HeadEnd.Rotation;
using Smets1Sim.HeadEnd.Store;

namespace Smets1Sim.Cli.Commands;

/// <summary>
/// <c>smets1sim headend bench</c>: serves a generated fleet (10,000 devices by default, durable device state like
/// <c>serve</c>) in this process and rotates it with a durable key store: time per full sequential rotation (connect,
/// authenticate, transfer, release, confirm; median and p99) and fleet rotations per second with concurrency.
/// Prints figures; asserts nothing.
/// </summary>
internal static class HeadEndBenchCommand
{
    public static Command Create()
    {
        var premises = new Option<int>("--premises") { Description = "Premises to serve (4 devices each)", DefaultValueFactory = _ => 2500 };
        var sequential = new Option<int>("--sequential") { Description = "Devices rotated one at a time for the per-rotation figures", DefaultValueFactory = _ => 500 };
        var concurrency = new Option<int>("--concurrency") { Description = "Devices rotated at once for the fleet figure", DefaultValueFactory = _ => 16 };
        var deviceState = new Option<string>("--device-state") { Description = "disk (durable, like serve) or memory", DefaultValueFactory = _ => "disk" };
        var storeSync = new Option<string>("--store-sync") { Description = "full (durable, the default) or normal (to show what the store's fsyncs cost)", DefaultValueFactory = _ => "full" };
        var dir = new Option<string?>("--dir") { Description = "Where the store and device state go (default: a new temporary directory, removed after)" };
        var bench = new Command("bench", "Measure full key rotations: per rotation (median, p99) and per second across a fleet")
        {
            premises, sequential, concurrency, deviceState, storeSync, dir,
        };
        bench.SetAction((r, ct) => HeadEndCommands.RunAsync(() => RunAsync(
            r.GetValue(premises), r.GetValue(sequential), r.GetValue(concurrency), r.GetValue(deviceState)!, r.GetValue(storeSync)!, r.GetValue(dir), ct)));
        return bench;
    }

    private static async Task<int> RunAsync(int premises, int sequential, int concurrency, string deviceState, string storeSync, string? directory, CancellationToken ct)
    {
        if (premises < 1 || sequential < 1 || concurrency < 1 || deviceState is not ("disk" or "memory") || storeSync is not ("full" or "normal"))
        {
            throw new UsageException("--premises, --sequential and --concurrency must be positive; --device-state is disk or memory; --store-sync is full or normal");
        }

        bool temporary = directory is null;
        directory ??= Path.Combine(Path.GetTempPath(), "smets1sim-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            IReadOnlyDictionary<string, DeviceProfile> profiles = ProfileLoader.LoadAllEmbedded();
            FleetFile fleet = FleetGenerator.Generate(new FleetOptions { Premises = premises, BasePort = 0 }, profiles, TimeProvider.System);
            DeviceStateStore? states = deviceState == "disk" ? new DeviceStateStore(Path.Combine(directory, "state")) : null;
            FleetHost host = FleetHost.Create(fleet, profiles, states, new FleetHostOptions(), TimeProvider.System, NullLoggerFactory.Instance, ct);
            await using (host.ConfigureAwait(false))
            {
                host.Start();
                var ports = host.Endpoints.ToDictionary(e => e.PremisesId, e => e.Port);
                string fleetPath = Path.Combine(directory, "fleet.json");
                FleetFileStore.Write(fleetPath, fleet with { Devices = [.. fleet.Devices.Select(d => d with { Port = ports[d.PremisesId] })] });
                using SecretKey master = StoreMasterKey.Generate();
                using HeadEndStore store = HeadEndStore.Open(Path.Combine(directory, "headend.db"), master, durable: storeSync == "full");
                var import = Stopwatch.StartNew();
                store.Import(FleetDocument.Read(fleetPath), HeadEndCommands.DefaultClientTitle, fleetPath);
                Console.WriteLine($"devices: {fleet.Devices.Count} in {host.Endpoints.Count} endpoints, device state on {deviceState}; store {store.Path} (WAL, synchronous={storeSync.ToUpperInvariant()}); import {import.Elapsed.TotalSeconds:F1} s");

                var rotator = new KeyRotator(store, new RotationOptions(), LeaseOwner.ForThisProcess());
                List<string> sample = [.. store.DeviceIds().Take(Math.Min(sequential, fleet.Devices.Count))];
                double[] first = await TimeEachAsync(rotator, sample, ct).ConfigureAwait(false);
                double[] full = await TimeEachAsync(rotator, sample, ct).ConfigureAwait(false);
                Console.WriteLine($"first rotation of a device (reads its IC over the public client first): median {Percentile(first, 0.5):F2} ms, p99 {Percentile(first, 0.99):F2} ms ({first.Length} devices)");
                Console.WriteLine($"full sequential rotation (connect, authenticate, transfer, release, confirm; store sync {storeSync}): median {Percentile(full, 0.5):F2} ms, p99 {Percentile(full, 0.99):F2} ms ({full.Length} devices)");

                var campaign = new RotationCampaign(store, new RotationOptions());
                CampaignSummary summary = await campaign.RunAsync(store.DeviceIds(), concurrency, null, ct).ConfigureAwait(false);
                double perSecond = summary.Results.Count / summary.Elapsed.TotalSeconds;
                Console.WriteLine($"fleet rotation, concurrency {concurrency}: {summary.Results.Count} devices in {summary.Elapsed.TotalSeconds:F1} s = {perSecond:F0} rotations/s (rotated {summary.Rotated}, recovered {summary.Recovered}, failed {summary.Failed})");
                Console.WriteLine(HeadEndCommands.Invariant($"{{\"event\":\"headend-bench\",\"devices\":{fleet.Devices.Count},\"deviceState\":\"{deviceState}\",\"storeSync\":\"{storeSync}\",\"firstRotationMedianMs\":{Percentile(first, 0.5):F3},\"rotationMedianMs\":{Percentile(full, 0.5):F3},\"rotationP99Ms\":{Percentile(full, 0.99):F3},\"concurrency\":{concurrency},\"rotationsPerSecond\":{perSecond:F0},\"failed\":{summary.Failed}}}"));
                return summary.AllSucceeded ? 0 : 1;
            }
        }
        finally
        {
            if (temporary)
            {
                try
                {
                    Directory.Delete(directory, recursive: true);
                }
                catch (IOException)
                {
                }
            }
        }
    }

    private static async Task<double[]> TimeEachAsync(KeyRotator rotator, List<string> devices, CancellationToken ct)
    {
        var times = new double[devices.Count];
        for (int i = 0; i < devices.Count; i++)
        {
            long start = Stopwatch.GetTimestamp();
            DeviceRotationResult result = await rotator.RotateAsync(devices[i], ct).ConfigureAwait(false);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"{devices[i]} failed at {result.Step}: {result.Reason}");
            }
        }

        return times;
    }

    private static double Percentile(double[] values, double p)
    {
        double[] sorted = [.. values.Order()];
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
    }
}
