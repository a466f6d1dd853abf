namespace Smets1Sim.Devices.Hosting;

/// <summary>
/// Lets one log line through per interval and counts those held back, so that a flood (of refused connections, of
/// failing accepts) costs one line per interval instead of one per event. Not thread-safe: one owner loop.
/// </summary>
internal sealed class LogThrottle(TimeSpan interval, TimeProvider time)
{
    private DateTimeOffset? _last;
    private int _heldBack;

    /// <summary>True when a line may be written now; <paramref name="heldBack"/> is how many were skipped since the last.</summary>
    public bool TryEnter(out int heldBack)
    {
        DateTimeOffset now = time.GetUtcNow();
        if (_last is DateTimeOffset last && now - last < interval)
        {
            _heldBack++;
            heldBack = 0;
            return false;
        }

        _last = now;
        heldBack = _heldBack;
        _heldBack = 0;
        return true;
    }
}
