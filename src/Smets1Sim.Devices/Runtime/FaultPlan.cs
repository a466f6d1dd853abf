namespace Smets1Sim.Devices.Runtime;

/// <summary>Where a simulated device may drop its connection on purpose.</summary>
public enum FaultPoint
{
    /// <summary>After an AARQ arrived, before the AARE.</summary>
    AfterAarq,
    /// <summary>key_transfer arrived; drop before applying it (the device keeps its old keys).</summary>
    AfterKeyTransferReceived,
    /// <summary>key_transfer applied and durably stored; drop before the response (the head-end never hears).</summary>
    AfterKeyTransferPersisted,
    /// <summary>Any request handled; drop before its response.</summary>
    BeforeResponse,
}

/// <summary>
/// The faults one device is told to show (fault injection for reliability tests). Thread-safe: a fault marked
/// once-only fires for the first request that reaches it and then clears.
/// </summary>
public sealed class FaultPlan
{
    private readonly Lock _lock = new();
    private FaultPoint? _dropAt;
    private bool _refuseKeyTransfer;
    private bool _powerLossBeforePersist;

    /// <summary>Creates a plan.</summary>
    public FaultPlan(FaultPoint? dropAt = null, TimeSpan responseDelay = default, bool refuseKeyTransfer = false, bool powerLossBeforePersist = false, bool onlyOnce = true, bool acceptWeakKeys = false)
    {
        AcceptWeakKeys = acceptWeakKeys;
        _dropAt = dropAt;
        ResponseDelay = responseDelay;
        _refuseKeyTransfer = refuseKeyTransfer;
        _powerLossBeforePersist = powerLossBeforePersist;
        OnlyOnce = onlyOnce;
    }

    /// <summary>No faults.</summary>
    public static FaultPlan None => new();

    /// <summary>Delay before every response.</summary>
    public TimeSpan ResponseDelay { get; }

    /// <summary>
    /// key_transfer accepts weak or duplicated keys (all bytes equal, or a key equal to another of the device's
    /// keys), for testing head-ends that send them. Off by default; never cleared by <see cref="OnlyOnce"/>.
    /// </summary>
    public bool AcceptWeakKeys { get; }

    /// <summary>Whether each fault fires once and then clears.</summary>
    public bool OnlyOnce { get; }

    /// <summary>True (and consumes the fault when once-only) when the connection should drop at <paramref name="point"/>.</summary>
    public bool ShouldDrop(FaultPoint point)
    {
        lock (_lock)
        {
            if (_dropAt != point)
            {
                return false;
            }

            if (OnlyOnce)
            {
                _dropAt = null;
            }

            return true;
        }
    }

    /// <summary>True when key_transfer must be refused with an action-result error.</summary>
    public bool ShouldRefuseKeyTransfer() => Consume(ref _refuseKeyTransfer);

    /// <summary>True when the device must "lose power" after accepting key_transfer, before storing it.</summary>
    public bool ShouldLosePowerBeforePersist() => Consume(ref _powerLossBeforePersist);

    private bool Consume(ref bool flag)
    {
        lock (_lock)
        {
            if (!flag)
            {
                return false;
            }

            if (OnlyOnce)
            {
                flag = false;
            }

            return true;
        }
    }
}

/// <summary>Thrown inside request handling to make the connection drop with no response (fault injection).</summary>
public sealed class ConnectionDropRequestedException : Exception
{
    /// <summary>Creates the signal.</summary>
    public ConnectionDropRequestedException(FaultPoint point)
        : base($"fault injected: drop the connection at {point}")
    {
        Point = point;
    }

    /// <summary>Where the drop happened.</summary>
    public FaultPoint Point { get; }
}
