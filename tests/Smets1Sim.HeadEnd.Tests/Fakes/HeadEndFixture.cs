using Microsoft.Extensions.Logging.Abstractions;
using Smets1Sim.Client;
using Smets1Sim.Devices.Fleet;
using Smets1Sim.Devices.Hosting;
using Smets1Sim.Devices.Profiles;
using Smets1Sim.Devices.Runtime;
using Smets1Sim.Devices.State;
using Smets1Sim.Dlms.Acse;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Security;
using Smets1Sim.Dlms.Xdlms;
using Smets1Sim.HeadEnd.Fleet;
using Smets1Sim.HeadEnd.Store;

namespace Smets1Sim.HeadEnd.Tests.Fakes;

/// <summary>
/// An in-process fleet of simulated devices served on 127.0.0.1 (ports chosen by the OS) with durable device state,
/// its fleet file written with the real ports, and a head-end store in a temporary directory under a fresh master key.
/// </summary>
internal sealed class HeadEndFixture : IAsyncDisposable
{
    public static readonly SystemTitle HeadEndTitle = SystemTitle.Parse("48454E4430303031");
    private FleetHost _host;
    private readonly IReadOnlyDictionary<string, DeviceProfile> _profiles;

    private HeadEndFixture(string directory, FleetFile fleet, IReadOnlyDictionary<string, DeviceProfile> profiles, FleetHost host, SecretKey masterKey)
    {
        Directory = directory;
        Fleet = fleet;
        _profiles = profiles;
        _host = host;
        MasterKey = masterKey;
        FleetPath = Path.Combine(directory, "fleet.json");
        StorePath = Path.Combine(directory, "headend.db");
        WriteFleetFile();
        Store = HeadEndStore.Open(StorePath, masterKey);
        Store.Import(FleetDocument.Read(FleetPath), HeadEndTitle, FleetPath);
    }

    public static IReadOnlyDictionary<string, DeviceProfile> ShippedProfiles { get; } = ProfileLoader.LoadAllEmbedded();

    public string Directory { get; }

    public FleetFile Fleet { get; private set; }

    public string FleetPath { get; }

    public string StorePath { get; }

    public string StateDirectory => Path.Combine(Directory, "state");

    public SecretKey MasterKey { get; }

    public HeadEndStore Store { get; }

    public FleetHost Host => _host;

    /// <summary>Starts <paramref name="premises"/> premises of CHF, ESME, GPF and PPMID; <paramref name="edit"/> may set faults.</summary>
    public static HeadEndFixture Start(int premises = 1, Func<FleetDevice, FleetDevice>? edit = null, KeyActivation activation = KeyActivation.NextAssociation)
    {
        IReadOnlyDictionary<string, DeviceProfile> profiles = activation == KeyActivation.NextAssociation
            ? ShippedProfiles
            : ShippedProfiles.ToDictionary(p => p.Key, p => p.Value with { KeyActivation = activation });
        FleetFile fleet = FleetGenerator.Generate(new FleetOptions { Premises = premises, BasePort = 0 }, profiles, TimeProvider.System);
        if (edit is not null)
        {
            fleet = fleet with { Devices = [.. fleet.Devices.Select(edit)] };
        }

        string directory = Path.Combine(Path.GetTempPath(), "smets1sim-headend-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        FleetHost host = StartHost(fleet, profiles, Path.Combine(directory, "state"));
        return new HeadEndFixture(directory, fleet, profiles, host, StoreMasterKey.Generate());
    }

    public FleetDevice Device(string type, int premises = 1) => Fleet.Devices.Single(d => d.Type == type && d.PremisesId == $"P{premises:D4}");

    public int PortOf(string premisesId) => _host.Endpoints.Single(e => e.PremisesId == premisesId).Port;

    /// <summary>Restarts every device from its state directory ("power cycle"), on new ports, and re-imports the addresses.</summary>
    public async Task RestartDevicesAsync()
    {
        await _host.DisposeAsync();
        _host = StartHost(Fleet, _profiles, StateDirectory);
        WriteFleetFile();
        Store.Import(FleetDocument.Read(FleetPath), HeadEndTitle, FleetPath);
    }

    /// <summary>Power-cycles every device with its faults removed (keys and counters come back from the state directory).</summary>
    public Task ClearFaultsAndRestartAsync()
    {
        Fleet = Fleet with { Devices = [.. Fleet.Devices.Select(d => d with { Faults = null })] };
        return RestartDevicesAsync();
    }

    /// <summary>Opens a management association with the given keys (IC read over the public client) and reads the logical device name.</summary>
    public async Task<string> ReadNameAsync(string deviceId, SecretKey ek, SecretKey ak, CancellationToken ct)
    {
        FleetDevice d = Fleet.Devices.Single(x => x.Id == deviceId);
        await using var client = new DlmsClient(new DlmsClientOptions
        {
            Host = "127.0.0.1",
            Port = PortOf(d.PremisesId),
            ClientSap = 1,
            ServerWPort = (ushort)d.WPort,
            Mechanism = AuthenticationMechanism.HlsGmac,
            ClientSystemTitle = SystemTitle.Parse("54535430303030FF"),
            ExpectedServerSystemTitle = SystemTitle.Parse(d.ServerSystemTitle),
            EncryptionKey = ek,
            AuthenticationKey = ak,
            ResponseTimeout = TimeSpan.FromSeconds(10),
        });
        await client.OpenAsync(ct);
        DlmsValue name = await client.GetValueAsync(new CosemAttributeDescriptor(CosemClassIds.Data, WellKnownObis.LogicalDeviceName, 2), ct);
        await client.ReleaseAsync(ct);
        return System.Text.Encoding.ASCII.GetString(((DlmsOctetString)name).Value.AsSpan());
    }

    /// <summary>Asserts the device opens an association with the keys the store calls active.</summary>
    public async Task AssertReachableWithActiveKeysAsync(string deviceId, CancellationToken ct, string? context = null)
    {
        using DeviceKeys active = Store.LoadActiveKeys(deviceId);
        try
        {
            await ReadNameAsync(deviceId, active.Encryption, active.Authentication, ct);
        }
        catch (Dlms.DlmsException ex)
        {
            Assert.Fail($"{context}{deviceId} is locked out: the store's active keys ({active}) do not open it: {ex.Message}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        Store.Dispose();
        MasterKey.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static FleetHost StartHost(FleetFile fleet, IReadOnlyDictionary<string, DeviceProfile> profiles, string state)
    {
        FleetHost host = FleetHost.Create(fleet, profiles, new DeviceStateStore(state), new FleetHostOptions(), TimeProvider.System, NullLoggerFactory.Instance);
        host.Start();
        return host;
    }

    private void WriteFleetFile()
    {
        FleetFile withPorts = Fleet with { Devices = [.. Fleet.Devices.Select(d => d with { Port = PortOf(d.PremisesId) })] };
        FleetFileStore.Write(FleetPath, withPorts);
    }
}
