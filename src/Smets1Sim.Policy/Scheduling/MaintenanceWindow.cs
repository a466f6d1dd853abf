namespace Smets1Sim.Policy.Scheduling;

/// <summary>
/// A daily UTC window in which rotations may start, <c>[Start, End)</c>; a window whose end is before its start
/// runs over midnight (22:00-04:00). Rotations already running when it closes are let finish.
/// </summary>
public sealed record MaintenanceWindow
{
    /// <summary>Creates a window; start and end must differ (no window at all means always open).</summary>
    public MaintenanceWindow(TimeOnly start, TimeOnly end)
    {
        if (start == end)
        {
            throw new ArgumentException("A maintenance window needs different start and end times; leave it out to allow any time.", nameof(end));
        }

        Start = start;
        End = end;
    }

    /// <summary>Opening time of day, UTC.</summary>
    public TimeOnly Start { get; }

    /// <summary>Closing time of day, UTC (exclusive).</summary>
    public TimeOnly End { get; }

    /// <summary>True when a rotation may start at this instant.</summary>
    public bool IsOpen(DateTimeOffset instant) => TimeOnly.FromTimeSpan(instant.UtcDateTime.TimeOfDay).IsBetween(Start, End);

    /// <summary>The instant itself when open, otherwise the next opening.</summary>
    public DateTimeOffset NextOpening(DateTimeOffset instant)
    {
        DateTimeOffset utc = instant.ToUniversalTime();
        if (IsOpen(utc))
        {
            return utc;
        }

        DateTimeOffset today = new DateTimeOffset(utc.UtcDateTime.Date, TimeSpan.Zero).Add(Start.ToTimeSpan());
        return today > utc ? today : today.AddDays(1);
    }
}
