using Microsoft.Extensions.Logging;
using Smets1Sim.Devices.Fleet;
using Smets1Sim.HeadEnd.Rotation;
using Smets1Sim.HeadEnd.Store;
using Smets1Sim.HeadEnd.Tests.Fakes;

namespace Smets1Sim.HeadEnd.Tests.Store;

/// <summary>No key, old or new, in the logs at Trace, the audit log, or the CLI's --json output.</summary>
[TestClass]
public sealed class KeyLeakTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Rotate_LogsAtTraceAndAudit_HoldNoKey()
    {
        CancellationToken ct = TestContext.CancellationToken;
        await using HeadEndFixture f = HeadEndFixture.Start();
        var logger = new CapturingLogger();
        CampaignSummary summary = await new RotationCampaign(f.Store, new RotationOptions { Keys = KeyNames.ParseList("ek,ak,kek,bk"), Logger = logger })
            .RunAsync(f.Store.DeviceIds(), 2, null, ct);
        Assert.IsTrue(summary.AllSucceeded);
        Assert.IsNotEmpty(logger.Lines, "the client logged at Trace");

        string everything = string.Join('\n', logger.Lines) + string.Join('\n', f.Store.ReadAudit().Select(a => a.ToString()));
        foreach (string key in AllKeys(f))
        {
            Assert.IsFalse(everything.Contains(key, StringComparison.OrdinalIgnoreCase), "a key appeared in a log or audit line");
        }
    }

    [TestMethod]
    public async Task CliJsonOutputs_AfterRotation_HoldNoKey()
    {
        CancellationToken ct = TestContext.CancellationToken;
        await using HeadEndFixture f = HeadEndFixture.Start();
        var env = new Dictionary<string, string?> { ["SMETS1SIM_STORE_KEY"] = f.MasterKey.ExportHex() };
        var outputs = new List<string>();
        foreach (string[] args in (string[][])[
            ["headend", "import", f.FleetPath, "--json", "--store", f.StorePath],
            ["headend", "rotate", "--all", "--keys", "ek,ak,kek", "--json", "--store", f.StorePath],
            ["headend", "status", "--json", "--store", f.StorePath],
            ["headend", "status", "--store", f.StorePath]])
        {
            (int exit, string stdout, string stderr) = await CliProcess.RunAsync(args, env, ct);
            Assert.AreEqual(0, exit, stderr);
            outputs.Add(stdout);
            outputs.Add(stderr);
        }

        string all = string.Join('\n', outputs);
        foreach (string key in AllKeys(f).Append(f.MasterKey.ExportHex()))
        {
            Assert.IsFalse(all.Contains(key, StringComparison.OrdinalIgnoreCase), "a key appeared in the CLI's output");
        }
    }

    private static IEnumerable<string> AllKeys(HeadEndFixture f)
    {
        foreach (FleetDevice d in f.Fleet.Devices)
        {
            yield return d.Ek;
            yield return d.Ak;
            yield return d.Kek;
            using DeviceKeys active = f.Store.LoadActiveKeys(d.Id);
            foreach (KeyKind kind in Enum.GetValues<KeyKind>())
            {
                if (active.Get(kind) is { } key)
                {
                    yield return key.ExportHex();
                }
            }
        }
    }

    private sealed class CapturingLogger : ILogger
    {
        private readonly Lock _gate = new();

        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_gate)
            {
                Lines.Add(formatter(state, exception) + exception);
            }
        }
    }
}
