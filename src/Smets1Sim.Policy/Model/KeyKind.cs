namespace Smets1Sim.Policy.Model;

/// <summary>
/// A symmetric key a SMETS1 DLMS device may hold. The member names are the strings policy files, reports and
/// the head-end use (docs/dlms-wire.md names the same keys: EK and AK of the HLS-GMAC management association,
/// the broadcast key, and the master key KEK that wraps them for key_transfer).
/// </summary>
public enum KeyKind
{
    /// <summary>Global unicast encryption key.</summary>
    EK,

    /// <summary>Authentication key.</summary>
    AK,

    /// <summary>Global broadcast encryption key.</summary>
    BroadcastKey,

    /// <summary>Master key (key encryption key).</summary>
    KEK,
}

/// <summary>Text forms of <see cref="KeyKind"/>.</summary>
public static class KeyKinds
{
    /// <summary>Every key kind, in declaration order.</summary>
    public static IReadOnlyList<KeyKind> All { get; } = [KeyKind.EK, KeyKind.AK, KeyKind.BroadcastKey, KeyKind.KEK];

    /// <summary>Parses the exact name (case-insensitive); numbers are not names.</summary>
    public static bool TryParse(string text, out KeyKind key)
    {
        foreach (KeyKind candidate in All)
        {
            if (string.Equals(candidate.ToString(), text, StringComparison.OrdinalIgnoreCase))
            {
                key = candidate;
                return true;
            }
        }

        key = default;
        return false;
    }
}
