namespace Smets1Sim.Dlms.Security;

/// <summary>
/// Replay guard for the invocation counters a peer sends under one key: an IC is accepted only when it is higher
/// than every IC accepted before (the first ever may be 0). Counters belong to a key: call <see cref="Reset"/> when
/// the key is replaced, after which a restarted counter is accepted again. Thread-safe.
/// </summary>
public sealed class IncomingInvocationCounter
{
    private readonly Lock _lock = new();
    private uint? _highestAccepted;

    /// <summary>Creates a guard, optionally restored from persistent storage.</summary>
    /// <param name="highestAccepted">The highest IC already accepted under the current key, or null for none.</param>
    public IncomingInvocationCounter(uint? highestAccepted = null)
    {
        _highestAccepted = highestAccepted;
    }

    /// <summary>
    /// The highest IC accepted under the current key, or null when none has been. This is what the COSEM
    /// invocation counter object 0-0:43.1.e.255 exposes: clients read it and continue from value + 1.
    /// </summary>
    public uint? HighestAccepted
    {
        get
        {
            lock (_lock)
            {
                return _highestAccepted;
            }
        }
    }

    /// <summary>True when <see cref="Accept"/> would accept <paramref name="invocationCounter"/> now.</summary>
    public bool WouldAccept(uint invocationCounter)
    {
        lock (_lock)
        {
            return IsFresh(invocationCounter);
        }
    }

    /// <summary>Records <paramref name="invocationCounter"/> as used; false (and no change) when it is a replay.</summary>
    public bool TryAccept(uint invocationCounter)
    {
        lock (_lock)
        {
            if (!IsFresh(invocationCounter))
            {
                return false;
            }

            _highestAccepted = invocationCounter;
            return true;
        }
    }

    /// <summary>
    /// Records <paramref name="invocationCounter"/> as used. Call only after the APDU's tag verified, or a forged
    /// APDU could push the counter up and lock the genuine sender out.
    /// </summary>
    /// <exception cref="DlmsSecurityException"><see cref="SecurityFailure.Replay"/> when the IC is not fresh.</exception>
    public void Accept(uint invocationCounter)
    {
        lock (_lock)
        {
            if (!IsFresh(invocationCounter))
            {
                throw new DlmsSecurityException(
                    SecurityFailure.Replay,
                    $"invocation counter {invocationCounter} is not above the highest accepted, {_highestAccepted}");
            }

            _highestAccepted = invocationCounter;
        }
    }

    /// <summary>Forgets every accepted IC: the key this guard belongs to has been replaced.</summary>
    public void Reset()
    {
        lock (_lock)
        {
            _highestAccepted = null;
        }
    }

    /// <inheritdoc/>
    public override string ToString() => HighestAccepted is uint highest ? $"highest accepted IC {highest}" : "no IC accepted";

    private bool IsFresh(uint invocationCounter) => _highestAccepted is not uint highest || invocationCounter > highest;
}
