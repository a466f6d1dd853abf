using System.Text.Json;
using Smets1Sim.Devices.Fleet;
using Smets1Sim.Devices.Profiles;
using Smets1Sim.HeadEnd.Store;
using Smets1Sim.HeadEnd.Tests.Fakes;

namespace Smets1Sim.HeadEnd.Tests.Cli;

/// <summary>The headend commands as a real child process against an in-process fleet on loopback.</summary>
[TestClass]
public sealed class HeadEndCliTests
{
    public TestContext TestContext { get; set; } = null!;

    private static Dictionary<string, string?> Env(HeadEndFixture f) => new() { ["SMETS1SIM_STORE_KEY"] = f.MasterKey.ExportHex() };

    [TestMethod]
    public async Task RotateAllJson_FreshFleet_ExitZeroAndOneSummaryObject()
    {
        CancellationToken ct = TestContext.CancellationToken;
        await using HeadEndFixture f = HeadEndFixture.Start();

        (int exit, string stdout, string stderr) = await CliProcess.RunAsync(["headend", "rotate", "--all", "--json", "--store", f.StorePath], Env(f), ct);

        Assert.AreEqual(0, exit, stderr);
        using JsonDocument doc = JsonDocument.Parse(stdout);
        Assert.AreEqual(4, doc.RootElement.GetProperty("rotated").GetInt32());
        Assert.AreEqual(0, doc.RootElement.GetProperty("failed").GetInt32());
        Assert.HasCount(1, stdout.Trim().Split('\n'), "one object on stdout");
        foreach (FleetDevice d in f.Fleet.Devices)
        {
            await f.AssertReachableWithActiveKeysAsync(d.Id, ct);
        }
    }

    [TestMethod]
    public async Task ReadAndStatus_AfterRotation_PrintValueAndKeyStates()
    {
        CancellationToken ct = TestContext.CancellationToken;
        await using HeadEndFixture f = HeadEndFixture.Start();
        string esme = f.Device("esme").Id;
        Assert.AreEqual(0, (await CliProcess.RunAsync(["headend", "rotate", esme, "--store", f.StorePath], Env(f), ct)).Exit);

        (int exit, string stdout, string stderr) = await CliProcess.RunAsync(["headend", "read", esme, "0.0.42.0.0.255", "1", "2", "--json", "--store", f.StorePath], Env(f), ct);
        Assert.AreEqual(0, exit, stderr);
        using JsonDocument read = JsonDocument.Parse(stdout);
        Assert.AreEqual(Convert.ToHexString(System.Text.Encoding.ASCII.GetBytes(f.Device("esme").LogicalDeviceName)),
            read.RootElement.GetProperty("value").GetProperty("octet-string").GetString());

        (exit, stdout, stderr) = await CliProcess.RunAsync(["headend", "read", esme, "0-0:1.0.0.255", "8", "2", "--store", f.StorePath], Env(f), ct);
        Assert.AreEqual(0, exit, stderr);
        StringAssert.Contains(stdout, $"{esme} 0-0:1.0.0.255 class 8 attribute 2:");

        (exit, stdout, stderr) = await CliProcess.RunAsync(["headend", "status", "--json", "--store", f.StorePath], Env(f), ct);
        Assert.AreEqual(0, exit, stderr);
        using JsonDocument status = JsonDocument.Parse(stdout);
        JsonElement device = status.RootElement.GetProperty("devices").EnumerateArray().Single(d => d.GetProperty("id").GetString() == esme);
        Assert.AreEqual(1, device.GetProperty("keyGeneration").GetInt32());
        Assert.AreEqual("rotated", device.GetProperty("lastRotationOutcome").GetString());
        Assert.AreEqual(JsonValueKind.Null, device.GetProperty("pendingGeneration").ValueKind);
        Assert.AreEqual(3, device.GetProperty("keys").EnumerateArray().Count(k => k.GetProperty("state").GetString() == "active"));
    }

    [TestMethod]
    public async Task Import_Twice_UpdatesAddressesKeepsRotatedKeysReportsMissing()
    {
        CancellationToken ct = TestContext.CancellationToken;
        await using HeadEndFixture f = HeadEndFixture.Start();
        string esme = f.Device("esme").Id;
        Assert.AreEqual(0, (await CliProcess.RunAsync(["headend", "rotate", esme, "--store", f.StorePath], Env(f), ct)).Exit);
        using DeviceKeys before = f.Store.LoadActiveKeys(esme);
        FleetFile file = FleetFileStore.Read(f.FleetPath);
        string dropped = f.Device("ppmid").Id;
        FleetFileStore.Write(f.FleetPath, file with { Devices = [.. file.Devices.Where(d => d.Id != dropped).Select(d => d with { Port = d.Port + (d.Id == esme ? 0 : 0) })] });

        (int exit, string stdout, string stderr) = await CliProcess.RunAsync(["headend", "import", f.FleetPath, "--json", "--store", f.StorePath], Env(f), ct);

        Assert.AreEqual(0, exit, stderr);
        using JsonDocument doc = JsonDocument.Parse(stdout);
        CollectionAssert.Contains(doc.RootElement.GetProperty("keysKeptBecauseRotated").EnumerateArray().Select(e => e.GetString()).ToList(), esme);
        CollectionAssert.AreEqual(new[] { dropped }, doc.RootElement.GetProperty("missingFromFile").EnumerateArray().Select(e => e.GetString()).ToArray());
        using DeviceKeys after = f.Store.LoadActiveKeys(esme);
        Assert.IsTrue(before.Encryption.KeyEquals(after.Encryption), "a rotated key is never overwritten by the file's");
        await f.AssertReachableWithActiveKeysAsync(esme, ct);
    }

    [TestMethod]
    public async Task AnyStoreCommand_NoMasterKey_OneLineSayingHowToGiveIt()
    {
        CancellationToken ct = TestContext.CancellationToken;
        string store = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".db");
        (int exit, string stdout, string stderr) = await CliProcess.RunAsync(["headend", "status", "--store", store], new Dictionary<string, string?>(), ct);
        Assert.AreEqual(2, exit);
        Assert.AreEqual($"smets1sim: {StoreMasterKey.HowToGive}", stderr.Trim());
        Assert.AreEqual(string.Empty, stdout);
        Assert.IsFalse(File.Exists(store), "nothing is created without a key");
    }

    [TestMethod]
    public async Task Status_WrongMasterKey_NamedAsSuch()
    {
        CancellationToken ct = TestContext.CancellationToken;
        await using HeadEndFixture f = HeadEndFixture.Start();
        using Dlms.Security.SecretKey other = StoreMasterKey.Generate();
        (int exit, _, string stderr) = await CliProcess.RunAsync(["headend", "status", "--store", f.StorePath],
            new Dictionary<string, string?> { ["SMETS1SIM_STORE_KEY"] = other.ExportHex() }, ct);
        Assert.AreEqual(1, exit);
        StringAssert.Contains(stderr, "wrong store master key");
        Assert.HasCount(1, stderr.Trim().Split('\n'));
    }

    [TestMethod]
    public async Task BadInputs_OneLineWhatAndWhere_NonZeroExit()
    {
        CancellationToken ct = TestContext.CancellationToken;
        await using HeadEndFixture f = HeadEndFixture.Start();
        string missingFleet = Path.Combine(f.Directory, "nope.json");
        string badFleet = Path.Combine(f.Directory, "bad.json");
        await File.WriteAllTextAsync(badFleet, """{"formatVersion":1,"devices":[{"id":"X"}]}""", ct);
        (string[] Args, string Expected)[] cases =
        [
            (["headend", "rotate", "NOPE-1", "--store", f.StorePath], "unknown device 'NOPE-1'"),
            (["headend", "read", "NOPE-1", "0.0.1.0.0.255", "8", "2", "--store", f.StorePath], "unknown device 'NOPE-1'"),
            (["headend", "import", missingFleet, "--store", f.StorePath], $"{missingFleet}: cannot read the fleet file"),
            (["headend", "import", badFleet, "--store", f.StorePath], $"{badFleet}: $.devices[0].premisesId: missing"),
            (["headend", "read", f.Device("esme").Id, "1.2.3", "8", "2", "--store", f.StorePath], "OBIS '1.2.3'"),
            (["headend", "rotate", "--all", "--keys", "ek,zz", "--store", f.StorePath], "unknown key 'zz'"),
        ];
        foreach ((string[] args, string expected) in cases)
        {
            (int exit, _, string stderr) = await CliProcess.RunAsync(args, Env(f), ct);
            Assert.AreNotEqual(0, exit, string.Join(' ', args));
            Assert.HasCount(1, stderr.Trim().Split('\n'), stderr);
            StringAssert.Contains(stderr, expected);
        }
    }

    [TestMethod]
    public async Task ReadAndRotate_UnreachableDevice_OneLineWithEndpointAndExitOne()
    {
        CancellationToken ct = TestContext.CancellationToken;
        await using HeadEndFixture f = HeadEndFixture.Start();
        string esme = f.Device("esme").Id;
        int port = f.PortOf("P0001");
        await f.Host.DisposeAsync();

        (int exit, _, string stderr) = await CliProcess.RunAsync(["headend", "read", esme, "0.0.1.0.0.255", "8", "2", "--store", f.StorePath], Env(f), ct);
        Assert.AreEqual(1, exit);
        Assert.HasCount(1, stderr.Trim().Split('\n'), stderr);
        StringAssert.Contains(stderr, $"127.0.0.1:{port}");

        (exit, string stdout, _) = await CliProcess.RunAsync(["headend", "rotate", esme, "--attempts", "1", "--json", "--store", f.StorePath], Env(f), ct);
        Assert.AreEqual(1, exit);
        using JsonDocument doc = JsonDocument.Parse(stdout);
        JsonElement result = doc.RootElement.GetProperty("results")[0];
        Assert.AreEqual("failed", result.GetProperty("outcome").GetString());
        Assert.AreEqual("associate", result.GetProperty("step").GetString());
    }

    [TestMethod]
    public async Task Rotate_RefusedAssociation_ReportsTheDiagnostic()
    {
        CancellationToken ct = TestContext.CancellationToken;
        // The store is given wrong keys for the ESME: the device refuses the association with authentication-failure.
        await using HeadEndFixture f = HeadEndFixture.Start();
        string esme = f.Device("esme").Id;
        FleetFile file = FleetFileStore.Read(f.FleetPath);
        string otherStore = Path.Combine(f.Directory, "wrong.db");
        string wrongFleet = Path.Combine(f.Directory, "wrong.json");
        FleetFileStore.Write(wrongFleet, file with { Devices = [.. file.Devices.Select(d => d with { Ek = new string('0', 32) })] });
        Assert.AreEqual(0, (await CliProcess.RunAsync(["headend", "import", wrongFleet, "--store", otherStore], Env(f), ct)).Exit);

        (int exit, string stdout, _) = await CliProcess.RunAsync(["headend", "rotate", esme, "--store", otherStore], Env(f), ct);

        Assert.AreEqual(1, exit);
        StringAssert.Contains(stdout, $"failed {esme} at associate:");
        StringAssert.Contains(stdout, "AuthenticationFailure");
        await f.AssertReachableWithActiveKeysAsync(esme, ct);
    }
}
