namespace Smets1Sim.Dlms.Security;

/// <summary>
/// The invocation counter a sender puts in its own ciphered APDUs under one key. Each value is handed out once;
/// after 0xFFFFFFFF has been used the counter is exhausted and <see cref="Next"/> throws instead of wrapping, because
/// a repeated IC repeats a GCM (key, IV) pair and breaks both confidentiality and authenticity. The key must then be
/// replaced, and a new counter created for the new key. Thread-safe.
/// </summary>
public sealed class OutgoingInvocationCounter
{
    private const ulong Exhausted = (ulong)uint.MaxValue + 1;

    private readonly Lock _lock = new();
    private ulong _next;

    /// <summary>Creates a counter whose first <see cref="Next"/> returns <paramref name="next"/>.</summary>
    /// <param name="next">The first value not yet used under this key (e.g. restored from persistent storage).</param>
    public OutgoingInvocationCounter(uint next = 0)
    {
        _next = next;
    }

    /// <summary>
    /// The value the next call to <see cref="Next"/> will return, or null when the counter is exhausted. A device
    /// persists a value at or above this before it sends, so a restart never reuses an IC.
    /// </summary>
    public uint? NextValue
    {
        get
        {
            lock (_lock)
            {
                return _next == Exhausted ? null : (uint)_next;
            }
        }
    }

    /// <summary>True once 0xFFFFFFFF has been used.</summary>
    public bool IsExhausted => NextValue is null;

    /// <summary>Returns the next IC and consumes it.</summary>
    /// <exception cref="DlmsSecurityException"><see cref="SecurityFailure.InvocationCounterExhausted"/> after 0xFFFFFFFF.</exception>
    public uint Next()
    {
        lock (_lock)
        {
            if (_next == Exhausted)
            {
                throw new DlmsSecurityException(
                    SecurityFailure.InvocationCounterExhausted,
                    "the invocation counter is exhausted: the key must be replaced before anything else is sent");
            }

            return (uint)_next++;
        }
    }

    /// <inheritdoc/>
    public override string ToString() => NextValue is uint next ? $"next IC {next}" : "IC exhausted";
}
