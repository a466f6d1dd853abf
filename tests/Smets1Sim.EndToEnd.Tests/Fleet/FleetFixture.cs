using Smets1Sim.Client;
using Smets1Sim.Devices.Fleet;
using Smets1Sim.Devices.Hosting;
using Smets1Sim.Devices.Profiles;
using Smets1Sim.Devices.State;
using Smets1Sim.Dlms.Acse;
using Smets1Sim.Dlms.Security;
using Smets1Sim.Tests.Shared;

namespace Smets1Sim.EndToEnd.Tests.Fleet;

/// <summary>A generated fleet served from a temporary state directory on 127.0.0.1, ports chosen by the OS.</summary>
internal sealed class FleetFixture : IAsyncDisposable
{
    public static readonly SystemTitle HeadEndTitle = SystemTitle.Parse("4845453030303031");
    private readonly TestLog _log;
    private FleetHost _host;

    private FleetFixture(FleetFile fleet, string stateDirectory, TestLog log, FleetHost host)
    {
        Fleet = fleet;
        StateDirectory = stateDirectory;
        _log = log;
        _host = host;
    }

    public FleetFile Fleet { get; private set; }

    public string StateDirectory { get; }

    public FleetHost Host => _host;

    public static IReadOnlyDictionary<string, DeviceProfile> Profiles { get; } = ProfileLoader.LoadAllEmbedded();

    /// <summary>Generates and serves a fleet; its servers log into <paramref name="log"/>.</summary>
    public static FleetFixture Start(TestLog log, int premises = 1, Func<FleetDevice, FleetDevice>? edit = null)
    {
        FleetFile fleet = FleetGenerator.Generate(new FleetOptions { Premises = premises, BasePort = 0 }, Profiles, TimeProvider.System);
        if (edit is not null)
        {
            fleet = fleet with { Devices = [.. fleet.Devices.Select(edit)] };
        }

        string state = Path.Combine(Path.GetTempPath(), "smets1sim-e2e-" + Guid.NewGuid().ToString("N"));
        return new FleetFixture(fleet, state, log, StartHost(fleet, state, log));
    }

    private static FleetHost StartHost(FleetFile fleet, string state, TestLog log)
    {
        FleetHost host = FleetHost.Create(fleet, Profiles, new DeviceStateStore(state), new FleetHostOptions(), TimeProvider.System, log);
        host.Start();
        return host;
    }

    /// <summary>Stops the whole process's worth of devices and starts them again from the state directory.</summary>
    public async Task RestartAsync()
    {
        await _host.DisposeAsync();
        // Port 0 again: the fleet file asks for any free port; the new ports are read from the host.
        _host = StartHost(Fleet, StateDirectory, _log);
    }

    public FleetDevice Device(string type, int premises = 1) => Fleet.Devices.Single(d => d.Type == type && d.PremisesId == $"P{premises:D4}");

    public int PortOf(FleetDevice device) => _host.Endpoints.Single(e => e.PremisesId == device.PremisesId).Port;

    public DlmsClientOptions Public(FleetDevice device) => new()
    {
        Host = "127.0.0.1",
        Port = PortOf(device),
        ClientSap = 16,
        ServerWPort = (ushort)device.WPort,
    };

    /// <summary>Management client with the given keys (the fleet's by default); the IC is read over the public client.</summary>
    public DlmsClientOptions Management(FleetDevice device, string? ek = null, string? ak = null, uint? ic = null) => new()
    {
        Host = "127.0.0.1",
        Port = PortOf(device),
        ClientSap = 1,
        ServerWPort = (ushort)device.WPort,
        Mechanism = AuthenticationMechanism.HlsGmac,
        ClientSystemTitle = HeadEndTitle,
        ExpectedServerSystemTitle = SystemTitle.Parse(device.ServerSystemTitle),
        EncryptionKey = SecretKey.FromHex(ek ?? device.Ek),
        AuthenticationKey = SecretKey.FromHex(ak ?? device.Ak),
        InitialInvocationCounter = ic,
        ResponseTimeout = TimeSpan.FromSeconds(10),
    };

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        try
        {
            Directory.Delete(StateDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
