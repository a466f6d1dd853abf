namespace Smets1Sim.Dlms.Acse;

/// <summary>
/// COSEM application context names (Green Book, IEC 62056-5-3 "application context name"): the last arc of the object identifier
/// {joint-iso-ccitt(2) country(16) country-name(756) identified-organization(5) DLMS-UA(8)
/// application-context(1) x}, encoded as <c>60 85 74 05 08 01 x</c>.
/// </summary>
public enum ApplicationContextName : byte
{
    /// <summary>Logical name referencing, no ciphering.</summary>
    LogicalName = 1,

    /// <summary>Short name referencing, no ciphering.</summary>
    ShortName = 2,

    /// <summary>Logical name referencing with ciphered APDUs allowed.</summary>
    LogicalNameWithCiphering = 3,

    /// <summary>Short name referencing with ciphered APDUs allowed.</summary>
    ShortNameWithCiphering = 4,
}
