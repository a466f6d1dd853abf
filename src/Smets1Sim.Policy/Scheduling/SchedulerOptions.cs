namespace Smets1Sim.Policy.Scheduling;

/// <summary>How hard and when the scheduler may drive the head-end.</summary>
public sealed record SchedulerOptions
{
    /// <summary>Most rotations running at once.</summary>
    public int MaxConcurrency { get; init; } = 4;

    /// <summary>Least time between two starts: the rate limit (one per second is 3,600 an hour).</summary>
    public TimeSpan StartInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Daily UTC window for starts; null for any time.</summary>
    public MaintenanceWindow? Window { get; init; }

    /// <summary>
    /// How long before its deadline a key is rotated. The 7-day post-commissioning and trigger deadlines are
    /// shorter than this, so those rotations start as soon as commissioning or the event happens.
    /// </summary>
    public TimeSpan LeadTime { get; init; } = TimeSpan.FromDays(30);

    /// <summary>Least time between a failed attempt and the next try of the same key.</summary>
    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromDays(1);

    /// <summary>Throws <see cref="ArgumentException"/> when a value cannot work.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConcurrency, 1, nameof(MaxConcurrency));
        ArgumentOutOfRangeException.ThrowIfLessThan(StartInterval, TimeSpan.Zero, nameof(StartInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(LeadTime, TimeSpan.Zero, nameof(LeadTime));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RetryAfter, TimeSpan.Zero, nameof(RetryAfter));
    }
}
