namespace Smets1Sim.Devices.Hosting;

/// <summary>
/// A count of open connections with a ceiling, shared by whoever it limits: one per endpoint, and one for the
/// whole process handed to every endpoint of a fleet. Thread-safe.
/// </summary>
public sealed class ConnectionLimit
{
    private int _count;

    /// <summary>Creates a limit of <paramref name="max"/> connections.</summary>
    public ConnectionLimit(int max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        Max = max;
    }

    /// <summary>The ceiling.</summary>
    public int Max { get; }

    /// <summary>Connections counted now.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Counts one more connection unless the ceiling is reached.</summary>
    public bool TryAcquire()
    {
        int seen = Volatile.Read(ref _count);
        while (seen < Max)
        {
            int before = Interlocked.CompareExchange(ref _count, seen + 1, seen);
            if (before == seen)
            {
                return true;
            }

            seen = before;
        }

        return false;
    }

    /// <summary>Gives back a slot taken by <see cref="TryAcquire"/>.</summary>
    public void Release() => Interlocked.Decrement(ref _count);
}
