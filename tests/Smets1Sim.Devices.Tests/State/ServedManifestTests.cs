using Microsoft.Extensions.Logging.Abstractions;
using Smets1Sim.Devices.Fleet;
using Smets1Sim.Devices.Hosting;
using Smets1Sim.Devices.Json;
using Smets1Sim.Devices.Profiles;
using Smets1Sim.Devices.Runtime;
using Smets1Sim.Devices.State;

namespace Smets1Sim.Devices.Tests.State;

/// <summary>A device served before never silently comes back from commissioning state.</summary>
[TestClass]
public sealed class ServedManifestTests
{
    private static readonly IReadOnlyDictionary<string, DeviceProfile> Profiles = ProfileLoader.LoadAllEmbedded();

    private static FleetHost Host(FleetFile fleet, DeviceStateStore store)
        => FleetHost.Create(fleet, Profiles, store, new FleetHostOptions(), TimeProvider.System, NullLoggerFactory.Instance);

    private static async Task<(long Generation, uint? NextOutgoing)> ServeOnceAsync(FleetFile fleet, string directory, Action<LogicalDevice>? use = null)
    {
        FleetHost host = Host(fleet, new DeviceStateStore(directory));
        await using (host.ConfigureAwait(false))
        {
            LogicalDevice esme = host.Devices.Single(d => d.Identity.Type == "esme");
            use?.Invoke(esme);
            return (esme.Security.KeyGeneration, esme.Security.NextOutgoingInvocationCounter);
        }
    }

    [TestMethod]
    public async Task Create_ServedDeviceLostItsStateFile_RefusedNamingIt()
    {
        string dir = Directory.CreateTempSubdirectory("manifest").FullName;
        try
        {
            FleetFile fleet = FleetGenerator.Generate(new FleetOptions { BasePort = 0 }, Profiles, TimeProvider.System);
            await ServeOnceAsync(fleet, dir);
            string lost = new DeviceStateStore(dir).PathOf("P0001-ESME");
            File.Delete(lost);

            var ex = Assert.ThrowsExactly<ConfigurationException>(() => Host(fleet, new DeviceStateStore(dir)));
            Assert.AreEqual(lost, ex.File);
            Assert.StartsWith("device P0001-ESME was served before but its state file is missing;", ex.Problem);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [TestMethod]
    public async Task Recommission_LostStateFile_StartsAboveAnyCounterItSentAndOnlyOnce()
    {
        string dir = Directory.CreateTempSubdirectory("manifest").FullName;
        try
        {
            FleetFile fleet = FleetGenerator.Generate(new FleetOptions { BasePort = 0 }, Profiles, TimeProvider.System);
            await ServeOnceAsync(fleet, dir, esme =>
            {
                lock (esme.Gate)
                {
                    _ = esme.Security.NextOutgoing();
                }
            });
            File.Delete(new DeviceStateStore(dir).PathOf("P0001-ESME"));
            Assert.AreEqual(1, new DeviceStateStore(dir).Manifest.Recommission("P0001-ESME"));

            (long generation, uint? next) = await ServeOnceAsync(fleet, dir);
            Assert.AreEqual(0L, generation);
            Assert.AreEqual(1u << 31, next);
            Assert.IsFalse(new DeviceStateStore(dir).Manifest.Devices["P0001-ESME"].RecommissionPending, "served: the request is used up");

            File.Delete(new DeviceStateStore(dir).PathOf("P0001-ESME"));
            Assert.ThrowsExactly<ConfigurationException>(() => Host(fleet, new DeviceStateStore(dir)));
            Assert.AreEqual(2, new DeviceStateStore(dir).Manifest.Recommission("P0001-ESME"));
            Assert.AreEqual(3u << 30, (await ServeOnceAsync(fleet, dir)).NextOutgoing);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [TestMethod]
    public void Recommission_NeverServedDevice_Throws()
    {
        string dir = Directory.CreateTempSubdirectory("manifest").FullName;
        try
        {
            Assert.ThrowsExactly<InvalidOperationException>(() => new DeviceStateStore(dir).Manifest.Recommission("P0001-ESME"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [TestMethod]
    [DataRow(0, 0u)]
    [DataRow(1, 0x8000_0000u)]
    [DataRow(2, 0xC000_0000u)]
    [DataRow(20, 0xFFFF_F000u)]
    public void OutgoingFloor_EachRecommission_HalvesWhatIsLeft(int recommissions, uint floor)
        => Assert.AreEqual(floor, ServedManifest.OutgoingFloor(recommissions));
}
