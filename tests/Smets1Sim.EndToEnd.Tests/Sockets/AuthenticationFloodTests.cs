using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Smets1Sim.Client;
using Smets1Sim.Cosem.Classes;
using Smets1Sim.Devices.Fleet;
using Smets1Sim.Devices.Hosting;
using Smets1Sim.Devices.Runtime;
using Smets1Sim.Devices.State;
using Smets1Sim.Dlms.Acse;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Security;
using Smets1Sim.Dlms.Xdlms;
using Smets1Sim.EndToEnd.Tests.Fleet;

namespace Smets1Sim.EndToEnd.Tests.Sockets;

/// <summary>Management AARQs under random keys over real sockets, against a shipped profile and a real state store.</summary>
[TestClass]
public sealed class AuthenticationFloodTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Aarq_UnderRandomKeys_CountedInOneEntryAndStoredOnlyByTheFlush()
    {
        CancellationToken ct = TestContext.CancellationToken;
        string dir = Directory.CreateTempSubdirectory("smets1sim-flood-").FullName;
        try
        {
            FleetFile fleet = FleetGenerator.Generate(new FleetOptions { BasePort = 0 }, FleetFixture.Profiles, TimeProvider.System);
            var store = new DeviceStateStore(dir);
            // The fake clock holds the periodic flush back: whatever reaches the disk meanwhile, the attempts wrote.
            var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
            FleetHost host = FleetHost.Create(fleet, FleetFixture.Profiles, store, new FleetHostOptions(), clock, NullLoggerFactory.Instance, ct);
            await using (host)
            {
                host.Start();
                int port = host.Endpoints.Single().Port;
                FleetDevice esme = fleet.Devices.Single(d => d.Type == "esme");
                byte[] stored = await File.ReadAllBytesAsync(store.PathOf(esme.Id), ct);
                for (int i = 0; i < 50; i++)
                {
                    await using var intruder = new DlmsClient(new DlmsClientOptions
                    {
                        Host = "127.0.0.1",
                        Port = port,
                        ClientSap = 1,
                        ServerWPort = (ushort)esme.WPort,
                        Mechanism = AuthenticationMechanism.HlsGmac,
                        ClientSystemTitle = FleetFixture.HeadEndTitle,
                        EncryptionKey = SecretKey.Generate(),
                        AuthenticationKey = SecretKey.Generate(),
                        InitialInvocationCounter = 1,
                    });
                    await Assert.ThrowsAsync<Exception>(() => intruder.OpenAsync(ct));
                }

                CollectionAssert.AreEqual(stored, await File.ReadAllBytesAsync(store.PathOf(esme.Id), ct), "no durable write per attempt");
                LogicalDevice device = host.Devices.Single(d => d.Identity.Id == esme.Id);
                lock (device.Gate)
                {
                    var newest = (DlmsStructure)((ProfileGenericObject)device.Objects[ObisCode.Parse("0-0:99.98.0.255")]).Rows[^1];
                    Assert.AreEqual(new DlmsLongUnsigned((ushort)DeviceEvent.AuthenticationFailed), newest.Items[1]);
                    Assert.AreEqual(new DlmsDoubleLongUnsigned(50), newest.Items[2]);
                    Assert.IsTrue(device.IsDirty);
                }

                await host.StopAsync(ct);
                CollectionAssert.AreNotEqual(stored, await File.ReadAllBytesAsync(store.PathOf(esme.Id), ct), "stored behind, at the latest at stop");
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
