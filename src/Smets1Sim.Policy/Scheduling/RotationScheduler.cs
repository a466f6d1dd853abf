using Smets1Sim.Policy.Evaluation;
using Smets1Sim.Policy.Model;
using Smets1Sim.Policy.Policies;

namespace Smets1Sim.Policy.Scheduling;

/// <summary>
/// Turns due dates into rotation campaigns: starts the rotations a <see cref="RotationPlanner"/> finds due, at most
/// <see cref="SchedulerOptions.MaxConcurrency"/> at once, no two starts closer than
/// <see cref="SchedulerOptions.StartInterval"/>, only inside the maintenance window, and records every outcome.
/// All waiting is on the injected <see cref="TimeProvider"/>, so the same loop runs on the wall clock, on a clock
/// that runs months in seconds, or on a test's fake clock.
/// </summary>
/// <remarks>
/// The loop waits for the earliest of: the next device's action time, the next allowed start (spacing, window),
/// a running rotation ending, or the end of the run. It never polls. Devices are taken in order of action time,
/// so the most urgent deadline goes first when the rate limit makes a queue.
/// </remarks>
public sealed class RotationScheduler
{
    private readonly RotationPlanner _planner;
    private readonly IRotationExecutor _executor;
    private readonly IRotationOutcomeSink? _sink;
    private readonly SchedulerOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates a scheduler.</summary>
    /// <param name="policy">The policy whose deadlines it keeps.</param>
    /// <param name="executor">Does the rotations.</param>
    /// <param name="sink">Receives every outcome; null to rely on the run's result only.</param>
    /// <param name="options">Rate, concurrency, window, lead time.</param>
    /// <param name="time">The clock.</param>
    /// <param name="evaluator">The evaluator; a default one when null.</param>
    public RotationScheduler(
        KeyPolicy policy,
        IRotationExecutor executor,
        IRotationOutcomeSink? sink,
        SchedulerOptions options,
        TimeProvider time,
        PolicyEvaluator? evaluator = null)
    {
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(time);
        _planner = new RotationPlanner(policy, evaluator ?? new PolicyEvaluator(), options);
        _executor = executor;
        _sink = sink;
        _options = options;
        _time = time;
    }

    /// <summary>
    /// Runs until the clock reaches <paramref name="until"/>: no rotation starts at or after it, and the ones running
    /// then are awaited. Returns every record and the fleet's histories with the new attempts.
    /// </summary>
    public async Task<RotationRun> RunUntilAsync(IEnumerable<DeviceHistory> fleet, DateTimeOffset until, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        var histories = new Dictionary<string, DeviceHistory>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (DeviceHistory device in fleet)
        {
            if (!histories.TryAdd(device.DeviceId, device))
            {
                throw new ArgumentException($"Device '{device.DeviceId}' appears twice in the fleet.", nameof(fleet));
            }

            order.Add(device.DeviceId);
        }

        // Ties broken by fleet order, so a run is repeatable.
        var queue = new PriorityQueue<string, (DateTimeOffset At, int Index)>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        DateTimeOffset start = _time.GetUtcNow();
        for (int i = 0; i < order.Count; i++)
        {
            index[order[i]] = i;
            if (_planner.NextActionAt(histories[order[i]], start) is { } at)
            {
                queue.Enqueue(order[i], (at, i));
            }
        }

        var running = new List<Task<RotationRecord>>();
        var records = new List<RotationRecord>();
        DateTimeOffset? lastStart = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            DateTimeOffset now = _time.GetUtcNow();
            await CollectFinishedAsync(running, histories, queue, index, records, now, cancellationToken).ConfigureAwait(false);
            if (now >= until)
            {
                break;
            }

            DateTimeOffset wakeAt = until;
            if (queue.TryPeek(out string? deviceId, out var next))
            {
                DateTimeOffset startAt = EarliestStart(now, next.At, lastStart);
                if (startAt <= now && running.Count < _options.MaxConcurrency)
                {
                    queue.Dequeue();
                    DeviceHistory device = histories[deviceId];
                    IReadOnlyList<KeyKind> keys = _planner.DueKeys(device, now);
                    if (keys.Count > 0)
                    {
                        lastStart = now;
                        running.Add(RotateAsync(device, keys, now, cancellationToken));
                    }
                    else if (_planner.NextActionAt(device, now) is { } later && later > now)
                    {
                        queue.Enqueue(deviceId, (later, index[deviceId]));
                    }

                    continue;
                }

                if (running.Count < _options.MaxConcurrency && startAt < wakeAt)
                {
                    wakeAt = startAt;
                }
            }

            await WaitAsync(running, wakeAt - now, cancellationToken).ConfigureAwait(false);
        }

        while (running.Count > 0)
        {
            await Task.WhenAny(running).ConfigureAwait(false);
            await CollectFinishedAsync(running, histories, queue, index, records, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }

        return new RotationRun(records, order.Select(id => histories[id]).ToList());
    }

    /// <summary>The first instant, now or later, at which the next rotation may start: action time, spacing and window all met.</summary>
    private DateTimeOffset EarliestStart(DateTimeOffset now, DateTimeOffset actionAt, DateTimeOffset? lastStart)
    {
        DateTimeOffset at = actionAt > now ? actionAt : now;
        if (lastStart is { } last && last + _options.StartInterval > at)
        {
            at = last + _options.StartInterval;
        }

        return _options.Window is { } window ? window.NextOpening(at) : at;
    }

    /// <summary>
    /// Task.Delay refuses more than about 49.7 days (uint.MaxValue - 1 ms), and a policy deadline may be a year
    /// away, so a longer wait is taken in steps of this; the loop only re-plans at each step.
    /// </summary>
    private static readonly TimeSpan LongestWait = TimeSpan.FromDays(30);

    /// <summary>Waits for the delay or for any running rotation to end, whichever is first, without leaving a timer behind.</summary>
    private async Task WaitAsync(List<Task<RotationRecord>> running, TimeSpan delay, CancellationToken cancellationToken)
    {
        if (delay > LongestWait)
        {
            delay = LongestWait;
        }

        using var stopWaiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task timer = Task.Delay(delay, _time, stopWaiting.Token);
        Task first = running.Count == 0 ? timer : await Task.WhenAny([timer, .. running]).ConfigureAwait(false);
        if (first == timer)
        {
            await timer.ConfigureAwait(false);
        }

        // Cancel, not CancelAsync: the timer's removal runs here, so the loop goes on in the same turn of the
        // clock that woke it (a fake clock's Advance returns with the loop already waiting again).
        stopWaiting.Cancel();
    }

    private async Task<RotationRecord> RotateAsync(DeviceHistory device, IReadOnlyList<KeyKind> keys, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        RotationResult result;
        try
        {
            result = await _executor.RotateAsync(new RotationRequest(device.DeviceId, device.DeviceType, keys, startedAt), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // An executor's failure is one device's outcome, never the end of the campaign.
        catch (Exception e)
#pragma warning restore CA1031
        {
            result = new RotationResult(RotationOutcome.Failed, $"{e.GetType().Name}: {e.Message}");
        }

        return new RotationRecord(device.DeviceId, device.DeviceType, keys, startedAt, _time.GetUtcNow(), result.Outcome, result.Reason);
    }

    private async Task CollectFinishedAsync(
        List<Task<RotationRecord>> running,
        Dictionary<string, DeviceHistory> histories,
        PriorityQueue<string, (DateTimeOffset, int)> queue,
        Dictionary<string, int> index,
        List<RotationRecord> records,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        for (int i = 0; i < running.Count; i++)
        {
            if (!running[i].IsCompleted)
            {
                continue;
            }

            RotationRecord record = await running[i].ConfigureAwait(false);
            running.RemoveAt(i--);
            records.Add(record);
            DeviceHistory updated = histories[record.DeviceId].WithAttempts(record.ToAttempts());
            histories[record.DeviceId] = updated;
            if (_sink is not null)
            {
                await _sink.RecordAsync(record, cancellationToken).ConfigureAwait(false);
            }

            if (_planner.NextActionAt(updated, now) is { } at)
            {
                queue.Enqueue(record.DeviceId, (at, index[record.DeviceId]));
            }
        }
    }
}
