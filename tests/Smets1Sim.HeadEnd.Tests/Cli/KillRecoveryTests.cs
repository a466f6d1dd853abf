using System.Text.Json;
using Smets1Sim.Devices.Profiles;
using Smets1Sim.Devices.Runtime;
using Smets1Sim.HeadEnd.Store;
using Smets1Sim.HeadEnd.Tests.Fakes;

namespace Smets1Sim.HeadEnd.Tests.Cli;

/// <summary>
/// A head-end process SIGKILLed at each step of a rotation (a real child process, stopped by the CLI's test pause at
/// the step the test names, or killed while the device holds back its answer) is recovered by the next run: the
/// store ends agreeing with the device, and the device opens with the keys the store calls active.
/// </summary>
[TestClass]
public sealed class KillRecoveryTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    // Killed before the transfer went out: generation 1 is found not taken, retired, and 2 rotated afresh.
    // Killed after the device took it: generation 1 is found in force and activated.
    [DataRow("pending-recorded", 2, DisplayName = "BeforeSending")]
    [DataRow("transfer-sending", 2, DisplayName = "AssociatedBeforeTheTransfer")]
    [DataRow("transfer-answered", 1, DisplayName = "AfterTheAnswerBeforeConfirmation")]
    [DataRow("confirmed", 1, DisplayName = "ConfirmedBeforeActivation")]
    public async Task Rotate_KilledAtStep_NextRunSettles(string step, int expectedGeneration)
    {
        CancellationToken ct = TestContext.CancellationToken;
        await using HeadEndFixture f = HeadEndFixture.Start();
        string esme = f.Device("esme").Id;
        var env = new Dictionary<string, string?> { ["SMETS1SIM_STORE_KEY"] = f.MasterKey.ExportHex(), ["SMETS1SIM_HEADEND_TEST_PAUSE_AT"] = step };

        using (CliProcess headEnd = CliProcess.Start(["headend", "rotate", esme, "--store", f.StorePath], env))
        {
            await headEnd.WaitForStderrLineAsync($"smets1sim-test: paused at {step} {esme}", ct);
            await headEnd.KillHardAsync();
        }

        DeviceStatus killed = f.Store.Status().Single(s => s.Device.Id == esme);
        Assert.IsNotNull(killed.PendingGeneration, "the pending record outlives the process");
        Assert.IsNotNull(killed.LeaseHolder, "the dead process's lease is still there");

        await AssertNextRunSettlesAsync(f, esme, expectedGeneration, ct);
    }

    [TestMethod]
    public async Task Rotate_KilledAfterSendingBeforeTheAnswer_NextRunRecovers()
    {
        CancellationToken ct = TestContext.CancellationToken;
        // The device holds back every answer for a second, so the test can kill the head-end after the device stored
        // the transfer and before its answer leaves.
        await using HeadEndFixture f = HeadEndFixture.Start(edit: d => d.Type == "esme" ? d with { Faults = new FaultOptions { DelayResponsesMs = 1000, OnlyOnce = false } } : d);
        string esme = f.Device("esme").Id;
        LogicalDevice device = f.Host.Devices.Single(d => d.Identity.Id == esme);
        long before = device.Security.KeyGeneration;
        var env = new Dictionary<string, string?> { ["SMETS1SIM_STORE_KEY"] = f.MasterKey.ExportHex(), ["SMETS1SIM_HEADEND_TEST_PAUSE_AT"] = "none" };

        using (CliProcess headEnd = CliProcess.Start(["headend", "rotate", esme, "--store", f.StorePath], env))
        {
            await headEnd.WaitForStderrLineAsync($"smets1sim-test: at transfer-sending {esme}", ct);
            Assert.IsTrue(SpinWait.SpinUntil(() => before != device.Security.KeyGeneration, TimeSpan.FromSeconds(30)),
                "the device stored the transfer");
            await headEnd.KillHardAsync();
        }

        await f.ClearFaultsAndRestartAsync();
        await AssertNextRunSettlesAsync(f, esme, 1, ct);
    }

    private static async Task AssertNextRunSettlesAsync(HeadEndFixture f, string deviceId, int expectedGeneration, CancellationToken ct)
    {
        var env = new Dictionary<string, string?> { ["SMETS1SIM_STORE_KEY"] = f.MasterKey.ExportHex() };
        (int exit, string stdout, string stderr) = await CliProcess.RunAsync(["headend", "rotate", deviceId, "--json", "--store", f.StorePath], env, ct);
        Assert.AreEqual(0, exit, stderr + stdout);
        using JsonDocument doc = JsonDocument.Parse(stdout);
        JsonElement result = doc.RootElement.GetProperty("results")[0];
        Assert.AreEqual("recovered", result.GetProperty("outcome").GetString(), stdout);
        Assert.AreEqual(expectedGeneration, result.GetProperty("keyGeneration").GetInt32(), stdout);
        DeviceStatus settled = f.Store.Status().Single(s => s.Device.Id == deviceId);
        Assert.IsNull(settled.PendingGeneration);
        Assert.IsNull(settled.LeaseHolder);
        await f.AssertReachableWithActiveKeysAsync(deviceId, ct);
        Assert.IsTrue(f.Store.ReadAudit(deviceId).Any(a => a.Step == "activate"), "the audit log records the activation");
    }
}
