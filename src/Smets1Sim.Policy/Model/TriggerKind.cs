namespace Smets1Sim.Policy.Model;

/// <summary>An event that may oblige a key rotation within a policy's own deadline.</summary>
public enum TriggerKind
{
    /// <summary>A key of the device is suspected to be compromised.</summary>
    SuspectedCompromise,

    /// <summary>The premises changed supplier.</summary>
    ChangeOfSupplier,

    /// <summary>An operator asked for a rotation.</summary>
    Manual,
}

/// <summary>Text forms of <see cref="TriggerKind"/>: the kebab-case names policy files use.</summary>
public static class TriggerKinds
{
    private static readonly (TriggerKind Kind, string Name)[] Names =
    [
        (TriggerKind.SuspectedCompromise, "suspected-compromise"),
        (TriggerKind.ChangeOfSupplier, "change-of-supplier"),
        (TriggerKind.Manual, "manual"),
    ];

    /// <summary>The file name of a trigger kind.</summary>
    public static string ToName(this TriggerKind kind) => Array.Find(Names, n => n.Kind == kind).Name ?? kind.ToString();

    /// <summary>Every name, for error messages.</summary>
    public static string AllNames { get; } = string.Join(", ", Names.Select(n => n.Name));

    /// <summary>Parses a kebab-case name (case-insensitive).</summary>
    public static bool TryParse(string text, out TriggerKind kind)
    {
        foreach ((TriggerKind candidate, string name) in Names)
        {
            if (string.Equals(name, text, StringComparison.OrdinalIgnoreCase))
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }
}
