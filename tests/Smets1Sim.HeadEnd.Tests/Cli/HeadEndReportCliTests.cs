using System.Text.Json;
using Smets1Sim.HeadEnd.Tests.Fakes;

namespace Smets1Sim.HeadEnd.Tests.Cli;

/// <summary><c>headend report</c> as a real child process over a store the fixture imported.</summary>
[TestClass]
public sealed class HeadEndReportCliTests
{
    public TestContext TestContext { get; set; } = null!;

    private static Dictionary<string, string?> Env(HeadEndFixture f) => new() { ["SMETS1SIM_STORE_KEY"] = f.MasterKey.ExportHex() };

    [TestMethod]
    public async Task Report_JsonCsvTable_AfterOneRotation_CountEveryDeviceUnderBothPolicies()
    {
        CancellationToken ct = TestContext.CancellationToken;
        await using HeadEndFixture f = HeadEndFixture.Start();
        string esme = f.Device("esme").Id;
        Assert.AreEqual(0, (await CliProcess.RunAsync(["headend", "rotate", esme, "--store", f.StorePath], Env(f), ct)).Exit);
        int devices = f.Fleet.Devices.Count;

        (int exit, string stdout, string stderr) = await CliProcess.RunAsync(
            ["headend", "report", "--policy", "s1sr-20", "--compare", "ckmp", "--format", "json", "--store", f.StorePath], Env(f), ct);
        Assert.AreEqual(0, exit, stderr);
        using JsonDocument doc = JsonDocument.Parse(stdout);
        Assert.AreEqual(devices, doc.RootElement.GetProperty("deviceCount").GetInt32());
        JsonElement[] policies = [.. doc.RootElement.GetProperty("policies").EnumerateArray()];
        CollectionAssert.AreEqual(new[] { "s1sr-20", "ckmp" }, policies.Select(p => p.GetProperty("name").GetString()).ToArray());
        Assert.IsTrue(doc.RootElement.GetProperty("rows").EnumerateArray().Any(r => r.GetProperty("deviceId").GetString() == esme && r.GetProperty("lastRotation").ValueKind == JsonValueKind.String),
            "the rotated device's keys carry their rotation time");

        string csv = Path.Combine(f.Directory, "report.csv");
        (exit, stdout, stderr) = await CliProcess.RunAsync(["headend", "report", "--policy", "ckmp", "--format", "csv", "--out", csv, "--store", f.StorePath], Env(f), ct);
        Assert.AreEqual(0, exit, stderr);
        Assert.AreEqual("", stdout);
        StringAssert.StartsWith(File.ReadAllText(csv), "policy,device_id");

        (exit, stdout, stderr) = await CliProcess.RunAsync(["headend", "report", "--policy", "s1sr-20", "--store", f.StorePath], Env(f), ct);
        Assert.AreEqual(0, exit, stderr);
        StringAssert.Contains(stdout, $"{devices} devices");
        StringAssert.Contains(stdout, "compliant");
    }

    [TestMethod]
    public async Task Report_UnknownPolicy_OneLineAndExitTwo()
    {
        CancellationToken ct = TestContext.CancellationToken;
        await using HeadEndFixture f = HeadEndFixture.Start();

        (int exit, string stdout, string stderr) = await CliProcess.RunAsync(["headend", "report", "--policy", "no-such-policy", "--store", f.StorePath], Env(f), ct);

        Assert.AreEqual(2, exit, stderr);
        Assert.AreEqual("", stdout);
        StringAssert.Contains(stderr, "no-such-policy");
    }
}
