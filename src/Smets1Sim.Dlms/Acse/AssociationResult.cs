namespace Smets1Sim.Dlms.Acse;

/// <summary>Associate-result of the AARE (ISO/IEC 8650-1 / ITU-T X.227 Associate-result).</summary>
public enum AssociationResult : byte
{
    /// <summary>The association is accepted (possibly pending HLS passes 3 and 4).</summary>
    Accepted = 0,

    /// <summary>Rejected; retrying with the same parameters will fail again.</summary>
    RejectedPermanent = 1,

    /// <summary>Rejected for a transient reason.</summary>
    RejectedTransient = 2,
}
