namespace Smets1Sim.Dlms.Xdlms;

/// <summary>Data-Access-Result ::= ENUMERATED (Green Book 9.3), with its wire values.</summary>
public enum DataAccessResult : byte
{
    /// <summary>success (0).</summary>
    Success = 0,
    /// <summary>hardware-fault (1).</summary>
    HardwareFault = 1,
    /// <summary>temporary-failure (2).</summary>
    TemporaryFailure = 2,
    /// <summary>read-write-denied (3).</summary>
    ReadWriteDenied = 3,
    /// <summary>object-undefined (4).</summary>
    ObjectUndefined = 4,
    /// <summary>object-class-inconsistent (9).</summary>
    ObjectClassInconsistent = 9,
    /// <summary>object-unavailable (11).</summary>
    ObjectUnavailable = 11,
    /// <summary>type-unmatched (12).</summary>
    TypeUnmatched = 12,
    /// <summary>scope-of-access-violated (13).</summary>
    ScopeOfAccessViolated = 13,
    /// <summary>data-block-unavailable (14).</summary>
    DataBlockUnavailable = 14,
    /// <summary>long-get-aborted (15).</summary>
    LongGetAborted = 15,
    /// <summary>no-long-get-in-progress (16).</summary>
    NoLongGetInProgress = 16,
    /// <summary>long-set-aborted (17).</summary>
    LongSetAborted = 17,
    /// <summary>no-long-set-in-progress (18).</summary>
    NoLongSetInProgress = 18,
    /// <summary>data-block-number-invalid (19).</summary>
    DataBlockNumberInvalid = 19,
    /// <summary>other-reason (250).</summary>
    OtherReason = 250,
}

/// <summary>Action-Result ::= ENUMERATED (Green Book 9.3), with its wire values.</summary>
public enum ActionResult : byte
{
    /// <summary>success (0).</summary>
    Success = 0,
    /// <summary>hardware-fault (1).</summary>
    HardwareFault = 1,
    /// <summary>temporary-failure (2).</summary>
    TemporaryFailure = 2,
    /// <summary>read-write-denied (3).</summary>
    ReadWriteDenied = 3,
    /// <summary>object-undefined (4).</summary>
    ObjectUndefined = 4,
    /// <summary>object-class-inconsistent (9).</summary>
    ObjectClassInconsistent = 9,
    /// <summary>object-unavailable (11).</summary>
    ObjectUnavailable = 11,
    /// <summary>type-unmatched (12).</summary>
    TypeUnmatched = 12,
    /// <summary>scope-of-access-violated (13).</summary>
    ScopeOfAccessViolated = 13,
    /// <summary>data-block-unavailable (14).</summary>
    DataBlockUnavailable = 14,
    /// <summary>long-action-aborted (15).</summary>
    LongActionAborted = 15,
    /// <summary>no-long-action-in-progress (16).</summary>
    NoLongActionInProgress = 16,
    /// <summary>other-reason (250).</summary>
    OtherReason = 250,
}
