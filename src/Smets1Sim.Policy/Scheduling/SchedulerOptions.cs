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
    /// How long before its deadline a key is rotated: shorter than the report's due-soon window (30 days), so
    /// "due soon" shows what the scheduler will take next, and long enough for retries before the deadline.
    /// The 7-day post-commissioning deadline and trigger deadlines of up to this length start at once.
    /// </summary>
    public TimeSpan LeadTime { get; init; } = TimeSpan.FromDays(14);

    /// <summary>Wait after a first failed attempt before the next try of the same key; doubled after each further failure.</summary>
    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromDays(1);

    /// <summary>Longest wait between tries, so a device that is gone is asked about monthly rather than daily.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromDays(28);

    /// <summary>Throws <see cref="ArgumentException"/> when a value cannot work.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConcurrency, 1, nameof(MaxConcurrency));
        ArgumentOutOfRangeException.ThrowIfLessThan(StartInterval, TimeSpan.Zero, nameof(StartInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(LeadTime, TimeSpan.Zero, nameof(LeadTime));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RetryAfter, TimeSpan.Zero, nameof(RetryAfter));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRetryAfter, RetryAfter, nameof(MaxRetryAfter));
    }
}
