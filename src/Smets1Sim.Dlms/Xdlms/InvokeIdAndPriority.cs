namespace Smets1Sim.Dlms.Xdlms;

/// <summary>
/// Invoke-Id-And-Priority ::= Unsigned8 (Green Book 9.3): bits 0-3 invoke-id, bits 4-5 reserved,
/// bit 6 service-class (1 = confirmed), bit 7 priority (1 = high). The raw byte is kept as received, so
/// reserved bits survive a round trip; a response echoes the request's byte.
/// </summary>
public readonly record struct InvokeIdAndPriority(byte Value)
{
    private const byte ConfirmedBit = 0x40;
    private const byte HighPriorityBit = 0x80;

    /// <summary>Composes the byte from its fields.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="invokeId"/> is above 15.</exception>
    public InvokeIdAndPriority(byte invokeId, bool serviceClassConfirmed, bool highPriority)
        : this(Compose(invokeId, serviceClassConfirmed, highPriority))
    {
    }

    /// <summary>Invoke-id, bits 0-3 (0..15).</summary>
    public byte InvokeId => (byte)(Value & 0x0F);

    /// <summary>Bit 6: the service is confirmed (the server must answer).</summary>
    public bool ServiceClassConfirmed => (Value & ConfirmedBit) != 0;

    /// <summary>Bit 7: high priority.</summary>
    public bool HighPriority => (Value & HighPriorityBit) != 0;

    /// <inheritdoc />
    public override string ToString()
        => $"0x{Value:X2} (invoke-id {InvokeId}, {(ServiceClassConfirmed ? "confirmed" : "unconfirmed")}, {(HighPriority ? "high" : "normal")} priority)";

    private static byte Compose(byte invokeId, bool confirmed, bool high)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(invokeId, (byte)15);
        return (byte)(invokeId | (confirmed ? ConfirmedBit : 0) | (high ? HighPriorityBit : 0));
    }
}

/// <summary>
/// Long-Invoke-Id-And-Priority ::= Unsigned32 (Green Book 9.3, used by DataNotification): bits 0-23 invoke-id,
/// 24-27 reserved, bit 28 self-descriptive, bit 29 processing-option (1 = break on error), bit 30 service-class
/// (1 = confirmed), bit 31 priority (1 = high). The raw value is kept as received.
/// </summary>
public readonly record struct LongInvokeIdAndPriority(uint Value)
{
    private const uint SelfDescriptiveBit = 1u << 28;
    private const uint BreakOnErrorBit = 1u << 29;
    private const uint ConfirmedBit = 1u << 30;
    private const uint HighPriorityBit = 1u << 31;

    /// <summary>Composes the value from its fields.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="invokeId"/> does not fit 24 bits.</exception>
    public LongInvokeIdAndPriority(uint invokeId, bool selfDescriptive, bool breakOnError, bool serviceClassConfirmed, bool highPriority)
        : this(Compose(invokeId, selfDescriptive, breakOnError, serviceClassConfirmed, highPriority))
    {
    }

    /// <summary>Invoke-id, bits 0-23.</summary>
    public uint InvokeId => Value & 0x00FF_FFFF;

    /// <summary>Bit 28: self-descriptive.</summary>
    public bool SelfDescriptive => (Value & SelfDescriptiveBit) != 0;

    /// <summary>Bit 29: processing-option, true = break on error.</summary>
    public bool BreakOnError => (Value & BreakOnErrorBit) != 0;

    /// <summary>Bit 30: confirmed.</summary>
    public bool ServiceClassConfirmed => (Value & ConfirmedBit) != 0;

    /// <summary>Bit 31: high priority.</summary>
    public bool HighPriority => (Value & HighPriorityBit) != 0;

    /// <inheritdoc />
    public override string ToString() => $"0x{Value:X8} (invoke-id {InvokeId})";

    private static uint Compose(uint invokeId, bool selfDescriptive, bool breakOnError, bool confirmed, bool high)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(invokeId, 0x00FF_FFFFu);
        return invokeId
            | (selfDescriptive ? SelfDescriptiveBit : 0)
            | (breakOnError ? BreakOnErrorBit : 0)
            | (confirmed ? ConfirmedBit : 0)
            | (high ? HighPriorityBit : 0);
    }
}
