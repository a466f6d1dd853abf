using System.Diagnostics;
using System.Text.Json;
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

    private static string CliDll => Path.Combine(AppContext.BaseDirectory, "smets1sim.dll");

    private sealed class ServeProcess : IAsyncDisposable
    {
        private readonly Process _process;

        private ServeProcess(Process process, JsonElement ready)
        {
            _process = process;
            Ready = ready;
        }

        public JsonElement Ready { get; }

        public int PortOf(string premisesId)
            => Ready.GetProperty("endpoints").EnumerateArray().Single(e => e.GetProperty("premisesId").GetString() == premisesId).GetProperty("port").GetInt32();

        public static async Task<ServeProcess> StartAsync(string arguments, CancellationToken ct)
        {
            var info = new ProcessStartInfo("dotnet", $"\"{CliDll}\" serve --json {arguments}")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            var process = Process.Start(info)!;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            string? line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            if (line is null)
            {
                string error = await process.StandardError.ReadToEndAsync(ct);
                throw new InvalidOperationException($"serve exited before ready: {error}");
            }

            using JsonDocument doc = JsonDocument.Parse(line);
            Assert.AreEqual("ready", doc.RootElement.GetProperty("event").GetString());
            return new ServeProcess(process, doc.RootElement.Clone());
        }

        public void KillHard() => _process.Kill(entireProcessTree: true);

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync();
            _process.Dispose();
        }
    }

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
            string args = $"--fleet \"{fleetPath}\" --state-dir \"{Path.Combine(dir, "state")}\"";
            string newEk = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

            await using (ServeProcess serve = await ServeProcess.StartAsync(args, ct))
            {
                await using var client = new DlmsClient(Management(esme, serve.PortOf("P0001"), esme.Ek));
                await client.OpenAsync(ct);
                using SecretKey key = SecretKey.FromHex(newEk);
                using SecretKey kek = SecretKey.FromHex(esme.Kek);
                Assert.IsTrue((await client.KeyTransferAsync(ObisCode.Parse("0-0:43.0.0.255"), [(0, key)], kek, ct)).IsSuccess);
                // Success was answered: the key must survive the hardest stop there is.
                serve.KillHard();
            }

            await using (ServeProcess serve = await ServeProcess.StartAsync(args, ct))
            {
                await using var client = new DlmsClient(Management(esme, serve.PortOf("P0001"), newEk));
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
            var info = new ProcessStartInfo("dotnet", $"\"{CliDll}\" serve --fleet \"{fleetPath}\" --state-dir \"{dir}\"")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(info)!;
            string stderr = await process.StandardError.ReadToEndAsync(TestContext.CancellationToken);
            await process.WaitForExitAsync(TestContext.CancellationToken);
            Assert.AreEqual(2, process.ExitCode);
            Assert.AreEqual($"smets1sim: {fleetPath}: $.devices[0].serverSystemTitle: is required", stderr.Trim());
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
            var info = new ProcessStartInfo("dotnet", $"\"{CliDll}\" serve --base-port {port} --state-dir \"{dir}\"")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(info)!;
            string stderr = await process.StandardError.ReadToEndAsync(TestContext.CancellationToken);
            await process.WaitForExitAsync(TestContext.CancellationToken);
            Assert.AreEqual(1, process.ExitCode);
            Assert.StartsWith($"smets1sim: cannot listen on 127.0.0.1:{port}", stderr.Trim());
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
