using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Smets1Sim.Devices.Fleet;
using Smets1Sim.Devices.Json;
using Smets1Sim.Devices.Profiles;
using Smets1Sim.Devices.Runtime;
using Smets1Sim.Devices.State;

namespace Smets1Sim.Devices.Hosting;

/// <summary>One listening endpoint and the devices behind it.</summary>
public sealed record EndpointInfo(string PremisesId, string Host, int Port, IReadOnlyList<DeviceInfo> Devices);

/// <summary>One device as a script needs it.</summary>
public sealed record DeviceInfo(string Id, string Type, int WPort, string ServerSystemTitle);

/// <summary>Options of a served fleet.</summary>
public sealed record FleetHostOptions
{
    /// <summary>Address to bind instead of each device's host (null = the fleet file's).</summary>
    public string? Bind { get; init; }

    /// <summary>Transport settings of every endpoint.</summary>
    public DlmsServerOptions Server { get; init; } = new();

    /// <summary>Most connections open at once over all endpoints; more are accepted and closed at once.</summary>
    public int MaxConnections { get; init; } = 4096;
}

/// <summary>
/// Runs a fleet: builds every device from its profile and stored state, groups them into TCP endpoints (one per
/// premises in hub mode, one per device otherwise) and serves them until stopped.
/// </summary>
public sealed partial class FleetHost : IAsyncDisposable
{
    private readonly List<DlmsTcpServer> _servers = [];
    private readonly List<LogicalDevice> _devices = [];
    private readonly List<(string PremisesId, DlmsTcpServer Server, IReadOnlyList<FleetDevice> Devices)> _endpoints = [];

    private FleetHost()
    {
    }

    /// <summary>Every device served.</summary>
    public IReadOnlyList<LogicalDevice> Devices => _devices;

    /// <summary>The endpoints with their real ports (after <see cref="Start"/>).</summary>
    public IReadOnlyList<EndpointInfo> Endpoints => [.. _endpoints.Select(e => new EndpointInfo(
        e.PremisesId, e.Server.LocalEndPoint.Address.ToString(), e.Server.LocalEndPoint.Port,
        [.. e.Devices.Select(d => new DeviceInfo(d.Id, d.Type, d.WPort, d.ServerSystemTitle))]))];

    /// <summary>Builds the devices of <paramref name="fleet"/>; nothing listens until <see cref="Start"/>.</summary>
    /// <exception cref="ConfigurationException">A device names an unknown type, or its stored state is unreadable.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired (a large fleet's first
    /// start writes a state file per device and can take minutes; a stop request must not wait for it).</exception>
    public static FleetHost Create(FleetFile fleet, IReadOnlyDictionary<string, DeviceProfile> profiles, DeviceStateStore? store, FleetHostOptions options, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        ArgumentNullException.ThrowIfNull(profiles);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        var host = new FleetHost();
        var groups = fleet.Devices
            .Select((d, i) => (Device: d, Index: i))
            .GroupBy(x => x.Device.Port != 0 ? $"{x.Device.Host}:{x.Device.Port}" : fleet.Mode == "hub" ? $"{x.Device.Host}#{x.Device.PremisesId}" : $"{x.Device.Host}#{x.Device.Id}", StringComparer.Ordinal)
            .ToList();
        var processLimit = new ConnectionLimit(ProcessLimit(options.MaxConnections, groups.Count, loggers.CreateLogger("Smets1Sim.Host")));
        try
        {
            foreach (var group in groups)
            {
                List<FleetDevice> members = [.. group.Select(x => x.Device)];
                var byWPort = new Dictionary<ushort, LogicalDevice>();
                foreach ((FleetDevice d, int index) in group)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (!profiles.TryGetValue(d.Type, out DeviceProfile? profile))
                    {
                        throw new ConfigurationException("fleet", $"$.devices[{index}].type", $"no profile for device type \"{d.Type}\" (known: {string.Join(", ", profiles.Keys)})");
                    }

                    LogicalDevice device = DeviceFactory.Create(d, profile, members, store, time);
                    host._devices.Add(device);
                    if (!byWPort.TryAdd(device.Identity.WPort, device))
                    {
                        throw new ConfigurationException("fleet", $"$.devices[{index}].wPort", $"wPort {d.WPort} is used twice on {group.Key}");
                    }
                }

                FleetDevice first = members[0];
                string bind = options.Bind ?? first.Host;
                if (!IPAddress.TryParse(bind == "localhost" ? "127.0.0.1" : bind, out IPAddress? address))
                {
                    throw new ConfigurationException("fleet", "$.devices[].host", $"\"{bind}\" is not an IP address to bind");
                }

                var server = new DlmsTcpServer(new IPEndPoint(address, first.Port), byWPort, options.Server, time, loggers.CreateLogger("Smets1Sim.Device"), processLimit);
                host._servers.Add(server);
                host._endpoints.Add((first.PremisesId, server, members));
            }

            // Every device now has a state file: from here on, losing one is refused, not silently recommissioned.
            store?.Manifest.MarkServed(fleet.Devices.Select(d => d.Id));
        }
        catch
        {
            foreach (LogicalDevice d in host._devices)
            {
                d.Dispose();
            }

            throw;
        }

        return host;
    }

    // The process limit never exceeds what the descriptor limit leaves room for (DescriptorBudget): past it, the
    // runtime itself fails, so a flood must be refused before it gets there.
    private static int ProcessLimit(int asked, int listeners, ILogger logger)
    {
        if (DescriptorBudget.ConnectionsAllowed(listeners) is int allowed && allowed < asked)
        {
            LogLimitLowered(logger, asked, allowed, DescriptorBudget.Limit ?? 0);
            return allowed;
        }

        return asked;
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "At most {Allowed} connections at once instead of {Asked}: the descriptor limit (ulimit -n) is {Limit}")]
    private static partial void LogLimitLowered(ILogger logger, int asked, int allowed, long limit);

    /// <summary>Starts every endpoint; if one cannot bind, the others are stopped and the error names the address.</summary>
    public void Start()
    {
        foreach ((string premises, DlmsTcpServer server, _) in _endpoints)
        {
            try
            {
                server.Start();
            }
            catch (SocketException ex)
            {
                throw new InvalidOperationException($"cannot listen on {server.RequestedEndPoint}: {ex.Message} (premises {premises})", ex);
            }
        }
    }

    /// <summary>Stops every endpoint and flushes device state.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (DlmsTcpServer server in _servers)
        {
            await server.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (DlmsTcpServer server in _servers)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }

        foreach (LogicalDevice device in _devices)
        {
            device.Dispose();
        }
    }
}
