namespace Smets1Sim.Dlms.Acse;

/// <summary>
/// The xDLMS conformance block (Green Book, Conformance ::= [APPLICATION 31] IMPLICIT BIT STRING (SIZE(24))).
/// BER bit n (bit 0 = most significant bit of the first of the three bytes) is the value <c>1u &lt;&lt; (23 - n)</c>,
/// so the three bytes read big-endian equal the enum value (e.g. <c>00 7E 1F</c> = 0x007E1F).
/// </summary>
[Flags]
public enum Conformance : uint
{
    /// <summary>No bit set.</summary>
    None = 0,

    /// <summary>Bit 0, reserved-zero.</summary>
    ReservedZero = 1u << 23,

    /// <summary>Bit 1, general-protection.</summary>
    GeneralProtection = 1u << 22,

    /// <summary>Bit 2, general-block-transfer.</summary>
    GeneralBlockTransfer = 1u << 21,

    /// <summary>Bit 3, read (short name referencing).</summary>
    Read = 1u << 20,

    /// <summary>Bit 4, write (short name referencing).</summary>
    Write = 1u << 19,

    /// <summary>Bit 5, unconfirmed-write (short name referencing).</summary>
    UnconfirmedWrite = 1u << 18,

    /// <summary>Bit 6, delta-value-encoding.</summary>
    DeltaValueEncoding = 1u << 17,

    /// <summary>Bit 7, reserved-seven.</summary>
    ReservedSeven = 1u << 16,

    /// <summary>Bit 8, attribute0-supported-with-set.</summary>
    Attribute0SupportedWithSet = 1u << 15,

    /// <summary>Bit 9, priority-mgmt-supported.</summary>
    PriorityMgmtSupported = 1u << 14,

    /// <summary>Bit 10, attribute0-supported-with-get.</summary>
    Attribute0SupportedWithGet = 1u << 13,

    /// <summary>Bit 11, block-transfer-with-get-or-read.</summary>
    BlockTransferWithGetOrRead = 1u << 12,

    /// <summary>Bit 12, block-transfer-with-set-or-write.</summary>
    BlockTransferWithSetOrWrite = 1u << 11,

    /// <summary>Bit 13, block-transfer-with-action.</summary>
    BlockTransferWithAction = 1u << 10,

    /// <summary>Bit 14, multiple-references.</summary>
    MultipleReferences = 1u << 9,

    /// <summary>Bit 15, information-report (short name referencing).</summary>
    InformationReport = 1u << 8,

    /// <summary>Bit 16, data-notification.</summary>
    DataNotification = 1u << 7,

    /// <summary>Bit 17, access.</summary>
    Access = 1u << 6,

    /// <summary>Bit 18, parameterized-access (short name referencing).</summary>
    ParameterizedAccess = 1u << 5,

    /// <summary>Bit 19, get.</summary>
    Get = 1u << 4,

    /// <summary>Bit 20, set.</summary>
    Set = 1u << 3,

    /// <summary>Bit 21, selective-access.</summary>
    SelectiveAccess = 1u << 2,

    /// <summary>Bit 22, event-notification.</summary>
    EventNotification = 1u << 1,

    /// <summary>Bit 23, action.</summary>
    Action = 1u << 0,
}
