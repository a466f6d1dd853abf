using Microsoft.Extensions.Time.Testing;
using Smets1Sim.Policy.Evaluation;
using Smets1Sim.Policy.Model;
using Smets1Sim.Policy.Policies;
using Smets1Sim.Policy.Scheduling;
using Smets1Sim.Policy.Tests.Fakes;
using static Smets1Sim.Policy.Tests.Fakes.Devices;

namespace Smets1Sim.Policy.Tests.Scheduling;

[TestClass]
public sealed class RotationSchedulerTests
{
    private static readonly DateTimeOffset Start = Utc("2024-01-10T12:00:00Z");

    public TestContext TestContext { get; set; } = null!;

    private static List<DeviceHistory> Fleet(int count, DateTimeOffset commissioned) =>
        Enumerable.Range(0, count)
            .Select(i => new DeviceHistory($"d{i:D3}", $"p{i / 4}", DeviceTypes.All[i % 4], commissioned, new HashSet<KeyKind> { KeyKind.EK, KeyKind.AK, KeyKind.KEK }, [], []))
            .ToList();

    private Task<RotationRun> Run(FakeTimeProvider time, KeyPolicy policy, IRotationExecutor executor, SchedulerOptions options, IEnumerable<DeviceHistory> fleet, DateTimeOffset until, IRotationOutcomeSink? sink = null) =>
        new RotationScheduler(policy, executor, sink, options, time).RunUntilAsync(fleet, until, TestContext.CancellationToken);

    [TestMethod]
    public async Task RunUntil_NewlyCommissioned_EkAndAkRotatedOnceEach()
    {
        var time = new FakeTimeProvider(Start);
        var executor = new FakeExecutor(time);
        var sink = new ListSink();

        RotationRun run = await time.DriveAsync(
            Run(time, BuiltInPolicies.S1sr20, executor, new SchedulerOptions(), Fleet(3, Start), Start.AddDays(10), sink), TimeSpan.FromSeconds(1));

        Assert.HasCount(3, run.Records);
        CollectionAssert.AreEqual(run.Records.ToArray(), sink.Records.ToArray());
        Assert.IsTrue(run.Records.All(r => r.Outcome == RotationOutcome.Rotated && r.Keys.SequenceEqual([KeyKind.EK, KeyKind.AK])), "KEK is named by no rule");
        Assert.AreEqual(Start, run.Records[0].StartedAt, "post-commissioning rotation starts at once");
        Assert.AreEqual(Start.AddSeconds(10), run.Records[0].EndedAt);
        var evaluator = new PolicyEvaluator();
        Assert.IsTrue(run.Fleet.All(d => evaluator.Evaluate(BuiltInPolicies.S1sr20, d, Start.AddDays(10)).Status == ComplianceStatus.Compliant));
    }

    [TestMethod]
    public async Task RunUntil_MaxConcurrencyThree_NeverMoreThanThreeAtOnce()
    {
        var time = new FakeTimeProvider(Start);
        var executor = new FakeExecutor(time) { Duration = TimeSpan.FromMinutes(10) };
        var options = new SchedulerOptions { MaxConcurrency = 3, StartInterval = TimeSpan.Zero };

        RotationRun run = await time.DriveAsync(Run(time, BuiltInPolicies.Ckmp, executor, options, Fleet(20, Start), Start.AddDays(1)), TimeSpan.FromMinutes(1));

        Assert.HasCount(20, run.Records);
        Assert.AreEqual(3, executor.MaxRunning);
        Assert.AreEqual(Start.AddMinutes(60), run.Records.Max(r => r.StartedAt), "seven waves of ten minutes");
    }

    [TestMethod]
    public async Task RunUntil_StartInterval_StartsSpacedExactly()
    {
        var time = new FakeTimeProvider(Start);
        var executor = new FakeExecutor(time) { Duration = TimeSpan.Zero };
        var options = new SchedulerOptions { MaxConcurrency = 10, StartInterval = TimeSpan.FromMinutes(2) };

        RotationRun run = await time.DriveAsync(Run(time, BuiltInPolicies.Ckmp, executor, options, Fleet(6, Start), Start.AddDays(1)), TimeSpan.FromMinutes(1));

        CollectionAssert.AreEqual(
            Enumerable.Range(0, 6).Select(i => Start.AddMinutes(2 * i)).ToArray(),
            run.Records.Select(r => r.StartedAt).ToArray());
        CollectionAssert.AreEqual(new[] { "d000", "d001", "d002", "d003", "d004", "d005" }, run.Records.Select(r => r.DeviceId).ToArray(), "fleet order breaks ties");
    }

    [TestMethod]
    public async Task RunUntil_MaintenanceWindow_StartsOnlyInsideIt()
    {
        var time = new FakeTimeProvider(Start);
        var executor = new FakeExecutor(time) { Duration = TimeSpan.FromMinutes(5) };
        var options = new SchedulerOptions
        {
            MaxConcurrency = 2,
            StartInterval = TimeSpan.FromMinutes(30),
            Window = new MaintenanceWindow(new TimeOnly(23, 0), new TimeOnly(1, 0)),
        };

        RotationRun run = await time.DriveAsync(Run(time, BuiltInPolicies.Ckmp, executor, options, Fleet(10, Start), Start.AddDays(5)), TimeSpan.FromMinutes(1));

        Assert.HasCount(10, run.Records);
        Assert.IsTrue(run.Records.All(r => options.Window.IsOpen(r.StartedAt)), string.Join(", ", run.Records.Select(r => r.StartedAt)));
        CollectionAssert.AreEqual(
            new[] { "2024-01-10T23:00", "2024-01-10T23:30", "2024-01-11T00:00", "2024-01-11T00:30", "2024-01-11T23:00" },
            run.Records.Take(5).Select(r => r.StartedAt.ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
            "four starts per two-hour night at one per 30 minutes");
    }

    [TestMethod]
    public async Task RunUntil_FirstAttemptFails_RetriedAfterRetryDelay()
    {
        var time = new FakeTimeProvider(Start);
        var executor = new FakeExecutor(time)
        {
            Outcome = (_, attempt) => attempt == 0 ? new RotationResult(RotationOutcome.Failed, "association refused") : new RotationResult(RotationOutcome.Rotated),
        };
        var options = new SchedulerOptions { RetryAfter = TimeSpan.FromHours(6) };

        RotationRun run = await time.DriveAsync(Run(time, BuiltInPolicies.S1sr20, executor, options, Fleet(1, Start), Start.AddDays(3)), TimeSpan.FromMinutes(1));

        Assert.HasCount(2, run.Records);
        Assert.AreEqual(RotationOutcome.Failed, run.Records[0].Outcome);
        Assert.AreEqual("association refused", run.Records[0].Reason);
        Assert.AreEqual(run.Records[0].EndedAt.AddHours(6), run.Records[1].StartedAt);
        Assert.AreEqual(RotationOutcome.Rotated, run.Records[1].Outcome);
        Assert.HasCount(4, run.Fleet[0].Attempts, "one attempt per key per rotation");
    }

    [TestMethod]
    public async Task RunUntil_DeviceNeverAnswers_RetryDelayDoublesUpToMaximum()
    {
        var time = new FakeTimeProvider(Start);
        var executor = new FakeExecutor(time) { Duration = TimeSpan.Zero, Outcome = (_, _) => new RotationResult(RotationOutcome.Failed, "offline") };
        var options = new SchedulerOptions { RetryAfter = TimeSpan.FromDays(1), MaxRetryAfter = TimeSpan.FromDays(10) };

        RotationRun run = await time.DriveAsync(Run(time, BuiltInPolicies.Ckmp, executor, options, Fleet(1, Start), Start.AddDays(50)), TimeSpan.FromHours(1));

        CollectionAssert.AreEqual(
            new[] { 0, 1, 3, 7, 15, 25, 35, 45 },
            run.Records.Select(r => (int)(r.StartedAt - Start).TotalDays).ToArray(),
            "waits of 1, 2, 4, 8 days, then 10");
    }

    [TestMethod]
    public async Task RunUntil_ExecutorThrows_RecordedAsFailed()
    {
        var time = new FakeTimeProvider(Start);
        var executor = new FakeExecutor(time) { Outcome = (_, _) => throw new TimeoutException("no answer in 30 s") };

        RotationRun run = await time.DriveAsync(Run(time, BuiltInPolicies.S1sr20, executor, new SchedulerOptions(), Fleet(1, Start), Start.AddHours(1)), TimeSpan.FromMinutes(1));

        Assert.HasCount(1, run.Records);
        Assert.AreEqual(RotationOutcome.Failed, run.Records[0].Outcome);
        Assert.AreEqual("TimeoutException: no answer in 30 s", run.Records[0].Reason);
    }

    [TestMethod]
    public async Task RunUntil_TwoYearsUnderS1sr_RotatesAgainLeadTimeBeforeFifteenMonths()
    {
        var time = new FakeTimeProvider(Start);
        var executor = new FakeExecutor(time);

        RotationRun run = await time.DriveAsync(
            Run(time, BuiltInPolicies.S1sr20, executor, new SchedulerOptions(), Fleet(1, Start), Start.AddYears(2)), TimeSpan.FromHours(1));

        Assert.HasCount(2, run.Records);
        DateTimeOffset first = run.Records[0].EndedAt;
        Assert.AreEqual(first.AddMonths(15) - new SchedulerOptions().LeadTime, run.Records[1].StartedAt);
    }

    [TestMethod]
    public async Task RunUntil_TwoYearsUnderCkmp_OnlyThePostCommissioningRotation()
    {
        var time = new FakeTimeProvider(Start);
        var executor = new FakeExecutor(time);

        RotationRun run = await time.DriveAsync(
            Run(time, BuiltInPolicies.Ckmp, executor, new SchedulerOptions(), Fleet(1, Start), Start.AddYears(2)), TimeSpan.FromHours(1));

        Assert.HasCount(1, run.Records);
    }

    [TestMethod]
    public async Task RunUntil_CompromiseReportedLater_RotatedWhenItHappens()
    {
        var policy = new KeyPolicy("t", "t",
        [
            BuiltInPolicies.Ckmp.Rules[0] with { Triggers = [new TriggerRule(TriggerKind.SuspectedCompromise, PolicyPeriod.FromHours(24))] },
        ]);
        DateTimeOffset compromise = Start.AddDays(100).AddHours(3);
        List<DeviceHistory> fleet = Fleet(1, Start);
        fleet[0] = fleet[0] with { Events = [new TriggerEvent(TriggerKind.SuspectedCompromise, compromise)] };
        var time = new FakeTimeProvider(Start);

        RotationRun run = await time.DriveAsync(Run(time, policy, new FakeExecutor(time), new SchedulerOptions(), fleet, Start.AddDays(200)), TimeSpan.FromMinutes(10));

        Assert.HasCount(2, run.Records);
        Assert.AreEqual(compromise, run.Records[1].StartedAt);
    }

    [TestMethod]
    public async Task RunUntil_CommissionedDuringRun_RotatedAtCommissioning()
    {
        List<DeviceHistory> fleet = Fleet(1, Start.AddDays(40));
        var time = new FakeTimeProvider(Start);

        RotationRun run = await time.DriveAsync(Run(time, BuiltInPolicies.Ckmp, new FakeExecutor(time), new SchedulerOptions(), fleet, Start.AddDays(60)), TimeSpan.FromMinutes(10));

        Assert.HasCount(1, run.Records);
        Assert.AreEqual(Start.AddDays(40), run.Records[0].StartedAt);
    }

    [TestMethod]
    public async Task RunUntil_ClockJumpsHours_NeverStartsOutsideWindow()
    {
        // A suspended VM or an accelerated clock wakes the loop late; a start that would fall outside the window waits for the next one.
        var time = new FakeTimeProvider(Start);
        var options = new SchedulerOptions
        {
            MaxConcurrency = 2,
            StartInterval = TimeSpan.FromMinutes(2),
            Window = new MaintenanceWindow(new TimeOnly(1, 0), new TimeOnly(4, 0)),
        };

        RotationRun run = await time.DriveAsync(
            Run(time, BuiltInPolicies.Ckmp, new FakeExecutor(time) { Duration = TimeSpan.FromMinutes(3) }, options, Fleet(10, Start), Start.AddDays(30)), TimeSpan.FromHours(7));

        Assert.HasCount(10, run.Records);
        Assert.IsTrue(run.Records.All(r => options.Window.IsOpen(r.StartedAt)), string.Join(", ", run.Records.Select(r => r.StartedAt)));
    }

    [TestMethod]
    public async Task RunUntil_Cancelled_ThrowsOperationCanceled()
    {
        var time = new FakeTimeProvider(Start);
        using var cancel = new CancellationTokenSource();
        var executor = new FakeExecutor(time) { Duration = TimeSpan.FromHours(1) };
        Task<RotationRun> run = new RotationScheduler(BuiltInPolicies.Ckmp, executor, null, new SchedulerOptions(), time).RunUntilAsync(Fleet(3, Start), Start.AddDays(1), cancel.Token);

        time.Advance(TimeSpan.FromMinutes(30));
        await cancel.CancelAsync();

        await Assert.ThrowsAsync<OperationCanceledException>(() => run);
    }

    [TestMethod]
    public async Task RunUntil_DueAfterEnd_NothingStarts()
    {
        var time = new FakeTimeProvider(Start);
        var executor = new FakeExecutor(time);

        RotationRun run = await time.DriveAsync(Run(time, BuiltInPolicies.Ckmp, executor, new SchedulerOptions(), Fleet(2, Start.AddDays(2)), Start.AddDays(2)), TimeSpan.FromMinutes(10));

        Assert.IsEmpty(run.Records);
        Assert.IsEmpty(executor.Requests);
    }

    [TestMethod]
    public async Task RunUntil_DuplicateDevice_ThrowsArgumentException()
    {
        var time = new FakeTimeProvider(Start);
        List<DeviceHistory> fleet = [.. Fleet(1, Start), .. Fleet(1, Start)];

        await Assert.ThrowsExactlyAsync<ArgumentException>(() => Run(time, BuiltInPolicies.Ckmp, new FakeExecutor(time), new SchedulerOptions(), fleet, Start.AddDays(1)));
    }

    [TestMethod]
    public void Constructor_ZeroConcurrency_ThrowsArgumentOutOfRange()
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(
            () => new RotationScheduler(BuiltInPolicies.Ckmp, new FakeExecutor(TimeProvider.System), null, new SchedulerOptions { MaxConcurrency = 0 }, TimeProvider.System));
    }

    [TestMethod]
    public void MaintenanceWindow_OverMidnight_OpenAndNextOpening()
    {
        var window = new MaintenanceWindow(new TimeOnly(22, 0), new TimeOnly(4, 0));

        Assert.IsTrue(window.IsOpen(Utc("2024-02-29T23:59:59Z")));
        Assert.IsTrue(window.IsOpen(Utc("2024-03-01T03:59:59Z")));
        Assert.IsFalse(window.IsOpen(Utc("2024-03-01T04:00:00Z")));
        Assert.AreEqual(Utc("2024-03-01T22:00:00Z"), window.NextOpening(Utc("2024-03-01T04:00:00Z")));
        Assert.AreEqual(Utc("2024-03-01T01:00:00Z"), window.NextOpening(Utc("2024-03-01T01:00:00Z")));
        Assert.ThrowsExactly<ArgumentException>(() => new MaintenanceWindow(new TimeOnly(1, 0), new TimeOnly(1, 0)));
    }
}
