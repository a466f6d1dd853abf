using Smets1Sim.Policy.Model;
using Smets1Sim.Policy.Scheduling;

namespace Smets1Sim.Policy.Tests.Fakes;

/// <summary>
/// A head-end stand-in: each rotation takes <see cref="Duration"/> on the fake clock and ends as
/// <see cref="Outcome"/> says. Counts how many run at once.
/// </summary>
internal sealed class FakeExecutor(TimeProvider time) : IRotationExecutor
{
    private readonly Lock _gate = new();
    private int _running;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    public Func<RotationRequest, int, RotationResult> Outcome { get; init; } = (_, _) => new RotationResult(RotationOutcome.Rotated);

    public List<RotationRequest> Requests { get; } = [];

    public int MaxRunning { get; private set; }

    public async Task<RotationResult> RotateAsync(RotationRequest request, CancellationToken cancellationToken)
    {
        int attempt;
        lock (_gate)
        {
            attempt = Requests.Count(r => r.DeviceId == request.DeviceId);
            Requests.Add(request);
            MaxRunning = Math.Max(MaxRunning, ++_running);
        }

        try
        {
            if (Duration > TimeSpan.Zero)
            {
                await Task.Delay(Duration, time, cancellationToken);
            }

            return Outcome(request, attempt);
        }
        finally
        {
            lock (_gate)
            {
                _running--;
            }
        }
    }
}

/// <summary>Keeps what the scheduler recorded.</summary>
internal sealed class ListSink : IRotationOutcomeSink
{
    public List<RotationRecord> Records { get; } = [];

    public ValueTask RecordAsync(RotationRecord record, CancellationToken cancellationToken)
    {
        Records.Add(record);
        return ValueTask.CompletedTask;
    }
}

internal static class Clock
{
    /// <summary>
    /// Advances the fake clock in steps until the run ends. The scheduler's continuations run inside Advance, but
    /// FakeTimeProvider fires a timer that falls within a step at the step's end, so a test steps by the finest
    /// unit its schedule uses (a minute, usually) to see starts at their exact instants.
    /// </summary>
    public static async Task<T> DriveAsync<T>(this Microsoft.Extensions.Time.Testing.FakeTimeProvider time, Task<T> run, TimeSpan step)
    {
        int guard = 0;
        while (!run.IsCompleted)
        {
            time.Advance(step);
            if (++guard > 2_000_000)
            {
                Assert.Fail("the run did not end");
            }
        }

        return await run;
    }
}
