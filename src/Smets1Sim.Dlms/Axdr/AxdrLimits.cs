namespace Smets1Sim.Dlms.Axdr;

/// <summary>
/// Bounds on what one A-XDR decode may build, so hostile input cannot exhaust the stack or the heap.
/// Lengths are also always checked against the bytes that remain.
/// </summary>
public sealed record AxdrLimits
{
    /// <summary>Defaults: depth 16, 65,536 values, 65,535-byte strings.</summary>
    public static AxdrLimits Default { get; } = new();

    /// <summary>Deepest nesting of arrays/structures (a top-level scalar is depth 0).</summary>
    public int MaxDepth { get; init; } = 16;

    /// <summary>Most values (scalars and containers) one decode may produce.</summary>
    public int MaxValues { get; init; } = 65_536;

    /// <summary>Longest octet-string, visible-string, utf8-string or bit-string (in bytes).</summary>
    public int MaxStringLength { get; init; } = 65_535;
}
