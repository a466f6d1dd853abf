namespace Smets1Sim.HeadEnd.Store;

/// <summary>The keys of a device, with their key_transfer key ids as values (Blue Book 4.4.7).</summary>
public enum KeyKind : byte
{
    /// <summary>Global unicast encryption key (EK).</summary>
    Encryption = 0,

    /// <summary>Global broadcast encryption key.</summary>
    Broadcast = 1,

    /// <summary>Authentication key (AK).</summary>
    Authentication = 2,

    /// <summary>Master key (KEK) that wraps the others in key_transfer.</summary>
    Master = 3,
}

/// <summary>Where one stored key is in its life.</summary>
public enum KeyState
{
    /// <summary>Generated and stored, sent or about to be sent; the device may or may not hold it yet.</summary>
    Pending = 0,

    /// <summary>Confirmed: the device opens associations with it (or, for the KEK, unwraps with it).</summary>
    Active = 1,

    /// <summary>Replaced by a newer active key, or a pending key the device never took.</summary>
    Retired = 2,
}

/// <summary>Names of keys and states as the command line and the store write them.</summary>
public static class KeyNames
{
    /// <summary>The short name: ek, bk, ak, kek.</summary>
    public static string Label(this KeyKind kind) => kind switch
    {
        KeyKind.Encryption => "ek",
        KeyKind.Broadcast => "bk",
        KeyKind.Authentication => "ak",
        KeyKind.Master => "kek",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The state as stored: pending, active, retired.</summary>
    public static string Label(this KeyState state) => state switch
    {
        KeyState.Pending => "pending",
        KeyState.Active => "active",
        KeyState.Retired => "retired",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };

    /// <summary>Parses a state label.</summary>
    public static KeyState ParseState(string label) => label switch
    {
        "pending" => KeyState.Pending,
        "active" => KeyState.Active,
        "retired" => KeyState.Retired,
        _ => throw new FormatException($"unknown key state '{label}'"),
    };

    /// <summary>Parses "ek,ak,kek,bk" (any order, any case); at least one.</summary>
    /// <exception cref="FormatException">An unknown name, or none.</exception>
    public static IReadOnlyList<KeyKind> ParseList(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var kinds = new SortedSet<KeyKind>();
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            kinds.Add(part.ToUpperInvariant() switch
            {
                "EK" => KeyKind.Encryption,
                "AK" => KeyKind.Authentication,
                "KEK" => KeyKind.Master,
                "BK" => KeyKind.Broadcast,
                _ => throw new FormatException($"unknown key '{part}': use ek, ak, kek or bk"),
            });
        }

        return kinds.Count == 0 ? throw new FormatException("name at least one key: ek, ak, kek or bk") : [.. kinds];
    }

    /// <summary>"ek,ak" for a list of kinds.</summary>
    public static string Join(IEnumerable<KeyKind> kinds) => string.Join(',', kinds.Order().Select(k => k.Label()));
}
