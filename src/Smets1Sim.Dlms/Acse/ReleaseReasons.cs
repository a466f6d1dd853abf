namespace Smets1Sim.Dlms.Acse;

/// <summary>Release-request-reason of the RLRQ (ISO/IEC 8650-1 / ITU-T X.227).</summary>
public enum ReleaseRequestReason : byte
{
    /// <summary>normal.</summary>
    Normal = 0,

    /// <summary>urgent.</summary>
    Urgent = 1,

    /// <summary>user-defined.</summary>
    UserDefined = 30,
}

/// <summary>Release-response-reason of the RLRE (ISO/IEC 8650-1 / ITU-T X.227).</summary>
public enum ReleaseResponseReason : byte
{
    /// <summary>normal.</summary>
    Normal = 0,

    /// <summary>not-finished.</summary>
    NotFinished = 1,

    /// <summary>user-defined.</summary>
    UserDefined = 30,
}
