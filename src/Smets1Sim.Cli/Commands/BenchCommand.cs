using System.CommandLine;
using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Smets1Sim.Client;
using Smets1Sim.Devices.Fleet;
using Smets1Sim.Devices.Hosting;
using Smets1Sim.Devices.Profiles;
using Smets1Sim.Dlms.Acse;
using Smets1Sim.Dlms.Security;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Cli.Commands;

/// <summary>
/// <c>smets1sim bench</c>: measures what one serve process holds (memory per idle device) and how many secured
/// GETs per second one association sustains over loopback. Prints figures; asserts nothing.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var premises = new Option<int>("--premises") { Description = "Premises to host for the memory figure (4 devices each)", DefaultValueFactory = _ => 250 };
        var seconds = new Option<double>("--seconds") { Description = "Duration of the GET run", DefaultValueFactory = _ => 5 };
        var associations = new Option<int>("--associations") { Description = "Parallel associations in a second GET run", DefaultValueFactory = _ => 4 };
        var bench = new Command("bench", "Measure memory per idle device and secured GETs per second") { premises, seconds, associations };
        bench.SetAction((result, ct) => CliErrors.RunAsync(() => RunAsync(result.GetValue(premises), result.GetValue(seconds), result.GetValue(associations), ct)));
        return bench;
    }

    private static async Task<int> RunAsync(int premises, double seconds, int parallel, CancellationToken ct)
    {
        if (premises < 1 || seconds <= 0 || parallel < 1)
        {
            throw new UsageException("--premises, --seconds and --associations must be positive");
        }

        IReadOnlyDictionary<string, DeviceProfile> profiles = ProfileLoader.LoadAllEmbedded();
        FleetFile fleet = FleetGenerator.Generate(new FleetOptions { Premises = premises, BasePort = 0 }, profiles, TimeProvider.System);

        long managedBefore = GC.GetTotalMemory(forceFullCollection: true);
        long workingBefore = Environment.WorkingSet;
        FleetHost host = FleetHost.Create(fleet, profiles, store: null, new FleetHostOptions(), TimeProvider.System, NullLoggerFactory.Instance, ct);
        await using (host.ConfigureAwait(false))
        {
            host.Start();
            long managedAfter = GC.GetTotalMemory(forceFullCollection: true);
            long workingAfter = Environment.WorkingSet;
            int devices = host.Devices.Count;
            Console.WriteLine($"devices hosted: {devices} in {host.Endpoints.Count} endpoints (one process)");
            Console.WriteLine($"memory per idle device: {(managedAfter - managedBefore) / devices / 1024.0:F1} KiB managed, {(workingAfter - workingBefore) / devices / 1024.0:F1} KiB working set");

            EndpointInfo endpoint = host.Endpoints[0];
            FleetDevice esme = fleet.Devices.First(d => d.PremisesId == endpoint.PremisesId && d.Type == "esme");
            double single = await GetsPerSecondAsync(endpoint.Port, esme, 1, seconds, ct).ConfigureAwait(false);
            Console.WriteLine($"secured GETs per second, one association (HLS-GMAC, SC 0x30): {single:F0}");
            var others = fleet.Devices.Where(d => d.Type == "esme").Take(parallel).ToList();
            double many = await GetsPerSecondAsync(0, null, parallel, seconds, ct, others, host).ConfigureAwait(false);
            Console.WriteLine($"secured GETs per second, {others.Count} associations in parallel: {many:F0}");
            Console.WriteLine($"{{\"event\":\"bench\",\"devices\":{devices},\"managedBytesPerDevice\":{(managedAfter - managedBefore) / devices},\"getsPerSecond\":{single:F0},\"parallelAssociations\":{others.Count},\"parallelGetsPerSecond\":{many:F0}}}");
        }

        return 0;
    }

    private static async Task<double> GetsPerSecondAsync(int port, FleetDevice? device, int parallel, double seconds, CancellationToken ct, IReadOnlyList<FleetDevice>? devices = null, FleetHost? host = null)
    {
        devices ??= [device!];
        var attribute = new CosemAttributeDescriptor(3, ObisCode.Parse("1-0:1.8.0.255"), 2);
        var clients = new List<DlmsClient>();
        try
        {
            foreach (FleetDevice d in devices)
            {
                int p = host is null ? port : host.Endpoints.Single(e => e.PremisesId == d.PremisesId).Port;
                var client = new DlmsClient(new DlmsClientOptions
                {
                    Host = "127.0.0.1",
                    Port = p,
                    ClientSap = 1,
                    ServerWPort = (ushort)d.WPort,
                    Mechanism = AuthenticationMechanism.HlsGmac,
                    ClientSystemTitle = SystemTitle.Parse("4853453030303031"),
                    EncryptionKey = SecretKey.FromHex(d.Ek),
                    AuthenticationKey = SecretKey.FromHex(d.Ak),
                    InitialInvocationCounter = null, // read 0-0:43.1.0.255 over the public client first, as mainstream clients do
                });
                clients.Add(client);
                await client.OpenAsync(ct).ConfigureAwait(false);
            }

            var watch = Stopwatch.StartNew();
            TimeSpan duration = TimeSpan.FromSeconds(seconds);
            long[] counts = new long[clients.Count];
            await Task.WhenAll(clients.Select(async (c, i) =>
            {
                while (watch.Elapsed < duration)
                {
                    await c.GetAsync(attribute, cancellationToken: ct).ConfigureAwait(false);
                    counts[i]++;
                }
            })).ConfigureAwait(false);
            return counts.Sum() / watch.Elapsed.TotalSeconds;
        }
        finally
        {
            foreach (DlmsClient c in clients)
            {
                await c.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
