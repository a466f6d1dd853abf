using Smets1Sim.Client;
using Smets1Sim.Devices.Fleet;
using Smets1Sim.Dlms.Acse;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Security;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.EndToEnd.Tests.Fleet;

/// <summary>The real <c>smets1sim serve</c> process: ready line, bad input, and kill -9 during a rotation.</summary>
[TestClass]
public sealed class ServeProcessTests
{
    public TestContext TestContext { get; set; } = null!;

    private static DlmsClientOptions Management(FleetDevice device, int port, string ek) => new()
    {
        Host = "127.0.0.1",
        Port = port,
        ClientSap = 1,
        ServerWPort = (ushort)device.WPort,
        Mechanism = AuthenticationMechanism.HlsGmac,
        ClientSystemTitle = FleetFixture.HeadEndTitle,
        EncryptionKey = SecretKey.FromHex(ek),
        AuthenticationKey = SecretKey.FromHex(device.Ak),
    };

    [TestMethod]
    public async Task Serve_KilledHardAfterKeyTransfer_RestartsWithTheNewKey()
    {
        CancellationToken ct = TestContext.CancellationToken;
        string dir = Path.Combine(Path.GetTempPath(), "smets1sim-serve-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string fleetPath = Path.Combine(dir, "fleet.json");
            FleetFileStore.Write(fleetPath, FleetGenerator.Generate(new FleetOptions { BasePort = 0 }, FleetFixture.Profiles, TimeProvider.System));
            FleetDevice esme = FleetFileStore.Read(fleetPath).Devices.Single(d => d.Type == "esme");
            string[] args = ["serve", "--json", "--fleet", fleetPath, "--state-dir", Path.Combine(dir, "state")];
            string newEk = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

            await using (ServeChild serve = ServeChild.Start(args))
            {
                int port = ServeChild.PortOf(await serve.ReadyAsync(ct), "P0001");
                await using var client = new DlmsClient(Management(esme, port, esme.Ek));
                await client.OpenAsync(ct);
                using SecretKey key = SecretKey.FromHex(newEk);
                using SecretKey kek = SecretKey.FromHex(esme.Kek);
                Assert.IsTrue((await client.KeyTransferAsync(ObisCode.Parse("0-0:43.0.0.255"), [(0, key)], kek, ct)).IsSuccess);
                // Success was answered: the key must survive the hardest stop there is.
                serve.KillHard();
            }

            await using (ServeChild serve = ServeChild.Start(args))
            {
                int port = ServeChild.PortOf(await serve.ReadyAsync(ct), "P0001");
                await using var client = new DlmsClient(Management(esme, port, newEk));
                await client.OpenAsync(ct);
                Assert.IsInstanceOfType<DlmsDateTime>(await client.GetValueAsync(new CosemAttributeDescriptor(8, ObisCode.Parse("0-0:1.0.0.255"), 2), ct));
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [TestMethod]
    public async Task Serve_BrokenFleetFile_OneLineErrorAndExitCode2()
    {
        string dir = Path.Combine(Path.GetTempPath(), "smets1sim-bad-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string fleetPath = Path.Combine(dir, "fleet.json");
            await File.WriteAllTextAsync(fleetPath, """{ "formatVersion": 1, "devices": [ { "id": "a b" } ] }""", TestContext.CancellationToken);
            await using ServeChild serve = ServeChild.Start("serve", "--fleet", fleetPath, "--state-dir", dir);
            Assert.AreEqual(2, await serve.ExitCodeAsync(TestContext.CancellationToken));
            Assert.AreEqual($"smets1sim: {fleetPath}: $.devices[0].serverSystemTitle: is required", string.Join('\n', serve.Stderr).Trim());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [TestMethod]
    public async Task Serve_PortInUse_ClearErrorAndExitCode1()
    {
        using var blocker = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        blocker.Start();
        int port = ((System.Net.IPEndPoint)blocker.LocalEndpoint).Port;
        string dir = Path.Combine(Path.GetTempPath(), "smets1sim-busy-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using ServeChild serve = ServeChild.Start("serve", "--base-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--state-dir", dir);
            Assert.AreEqual(1, await serve.ExitCodeAsync(TestContext.CancellationToken));
            Assert.StartsWith($"smets1sim: cannot listen on 127.0.0.1:{port}", string.Join('\n', serve.Stderr).Trim());
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }
}
