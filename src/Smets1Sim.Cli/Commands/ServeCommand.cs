using System.CommandLine;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Smets1Sim.Devices.Fleet;
using Smets1Sim.Devices.Hosting;
using Smets1Sim.Devices.Profiles;
using Smets1Sim.Devices.State;

namespace Smets1Sim.Cli.Commands;

/// <summary>
/// <c>smets1sim serve</c>: run a fleet until Ctrl-C or SIGTERM. Without <c>--fleet</c> it serves a default fleet
/// (one premises with a CHF, ESME, GPF and PPMID), generated once into the state directory and reused after, so
/// keys survive restarts. Once every endpoint listens it prints one JSON line <c>{"event":"ready",...}</c>.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var fleetOption = new Option<string?>("--fleet") { Description = "Fleet file to serve (default: <state-dir>/fleet.json, generated on first run)" };
        var stateDir = new Option<string>("--state-dir") { Description = "Where device state (keys, counters) is kept", DefaultValueFactory = _ => "smets1sim-state" };
        var bind = new Option<string?>("--bind") { Description = "Address to listen on instead of the fleet's hosts (default 127.0.0.1)" };
        var json = new Option<bool>("--json") { Description = "Print only the machine-readable ready line" };
        var profiles = new Option<string?>("--profiles") { Description = "Directory of device profiles (default: the shipped ones)" };
        var basePort = new Option<int>("--base-port") { Description = "First port of a generated default fleet (0 = any free port)", DefaultValueFactory = _ => 4059 };
        var verbose = new Option<bool>("--verbose") { Description = "Log associations and connections to stderr" };
        var perEndpoint = new Option<int>("--max-connections-per-endpoint") { Description = "Connections open at once per endpoint; more are accepted and closed at once", DefaultValueFactory = _ => new DlmsServerOptions().MaxConnections };
        var maxConnections = new Option<int>("--max-connections") { Description = "Connections open at once over all endpoints (lowered to what ulimit -n leaves room for)", DefaultValueFactory = _ => new FleetHostOptions().MaxConnections };
        var frameDeadline = new Option<double>("--frame-deadline") { Description = "Seconds a started frame has to complete before its connection is closed", DefaultValueFactory = _ => new DlmsServerOptions().FrameDeadline.TotalSeconds };
        var serve = new Command("serve", "Serve a fleet of simulated SMETS1 devices over TCP (IEC 62056-47)")
        {
            fleetOption, stateDir, bind, json, profiles, basePort, verbose, perEndpoint, maxConnections, frameDeadline,
        };
        serve.SetAction((result, ct) => CliErrors.RunAsync(() => RunAsync(
            result.GetValue(fleetOption), result.GetValue(stateDir)!, result.GetValue(json),
            result.GetValue(profiles), result.GetValue(basePort), result.GetValue(verbose),
            HostOptions(result.GetValue(bind), result.GetValue(perEndpoint), result.GetValue(maxConnections), result.GetValue(frameDeadline)), ct)));
        return serve;
    }

    private static FleetHostOptions HostOptions(string? bind, int perEndpoint, int maxConnections, double frameDeadlineSeconds)
    {
        if (perEndpoint < 1 || maxConnections < 1)
        {
            throw new UsageException("--max-connections and --max-connections-per-endpoint are at least 1");
        }

        if (!(frameDeadlineSeconds is > 0 and <= 86_400))
        {
            throw new UsageException("--frame-deadline is a number of seconds above 0, at most 86400");
        }

        return new FleetHostOptions
        {
            Bind = bind,
            MaxConnections = maxConnections,
            Server = new DlmsServerOptions { MaxConnections = perEndpoint, FrameDeadline = TimeSpan.FromSeconds(frameDeadlineSeconds) },
        };
    }

    private static async Task<int> RunAsync(string? fleetPath, string stateDirectory, bool jsonOnly, string? profileDirectory, int basePort, bool verbose, FleetHostOptions hostOptions, CancellationToken cancellationToken)
    {
        // Registered first: a large fleet's first start writes one state file per device and may take minutes;
        // SIGTERM must stop it within a moment, not after it.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });

        IReadOnlyDictionary<string, DeviceProfile> profiles = FleetCommands.LoadProfiles(profileDirectory);
        var store = new DeviceStateStore(stateDirectory);
        if (fleetPath is null)
        {
            fleetPath = Path.Combine(store.Directory, "fleet.json");
            if (!File.Exists(fleetPath))
            {
                FleetFileStore.Write(fleetPath, FleetCommands.Generate(new FleetOptions { BasePort = basePort }, profiles));
            }
        }

        FleetFile fleet = FleetFileStore.Read(fleetPath);
        using ILoggerFactory loggers = LoggerFactory.Create(b => b
            .AddSimpleConsole(o => o.SingleLine = true)
            // Every level goes to stderr: stdout carries only the ready line (and, without --json, the listing).
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
            .SetMinimumLevel(verbose ? LogLevel.Information : LogLevel.Warning)
            .AddFilter("Microsoft", LogLevel.Warning));
        FleetHost host;
        try
        {
            host = FleetHost.Create(fleet, profiles, store, hostOptions, TimeProvider.System, loggers, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Devices built so far have stored their state; the rest start from commissioning state next time.
            if (!jsonOnly)
            {
                Console.WriteLine("stopped during start-up");
            }

            return 0;
        }

        await using (host.ConfigureAwait(false))
        {
            host.Start();
            IReadOnlyList<EndpointInfo> endpoints = host.Endpoints;
            if (!jsonOnly)
            {
                foreach (EndpointInfo e in endpoints)
                {
                    Console.WriteLine($"listening {e.Host}:{e.Port} premises {e.PremisesId}: {string.Join(", ", e.Devices.Select(d => $"{d.Type.ToUpperInvariant()} {d.Id} wPort {d.WPort} ST {d.ServerSystemTitle}"))}");
                }

                Console.WriteLine($"fleet file (keys): {Path.GetFullPath(fleetPath)}; state: {store.Directory}; Ctrl-C stops");
            }

            Console.WriteLine(ReadyLine(fleetPath, store.Directory, endpoints));
            await Console.Out.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await host.StopAsync(grace.Token).ConfigureAwait(false);
        }

        if (!jsonOnly)
        {
            Console.WriteLine("stopped");
        }

        return 0;
    }

    internal static string ReadyLine(string fleetPath, string stateDirectory, IReadOnlyList<EndpointInfo> endpoints)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, Smets1Sim.Devices.Json.JsonFiles.Compact))
        {
            w.WriteStartObject();
            w.WriteString("event", "ready");
            w.WriteString("fleet", Path.GetFullPath(fleetPath));
            w.WriteString("stateDir", stateDirectory);
            w.WriteStartArray("endpoints");
            foreach (EndpointInfo e in endpoints)
            {
                w.WriteStartObject();
                w.WriteString("premisesId", e.PremisesId);
                w.WriteString("host", e.Host);
                w.WriteNumber("port", e.Port);
                w.WriteStartArray("devices");
                foreach (DeviceInfo d in e.Devices)
                {
                    w.WriteStartObject();
                    w.WriteString("id", d.Id);
                    w.WriteString("type", d.Type);
                    w.WriteNumber("wPort", d.WPort);
                    w.WriteString("serverSystemTitle", d.ServerSystemTitle);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
