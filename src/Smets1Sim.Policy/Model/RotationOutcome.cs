namespace Smets1Sim.Policy.Model;

/// <summary>How one rotation attempt of one key ended.</summary>
public enum RotationOutcome
{
    /// <summary>The device accepted the new key and the head-end confirmed it by associating with it.</summary>
    Rotated,

    /// <summary>
    /// The attempt was interrupted (a reply lost, a connection dropped) and the head-end found afterwards that
    /// the device holds the new key. The key was replaced, so this counts as a rotation; an interrupted attempt
    /// that left the old key in place is <see cref="Failed"/>.
    /// </summary>
    Recovered,

    /// <summary>The old key is still in force.</summary>
    Failed,
}

/// <summary>Helpers on <see cref="RotationOutcome"/>.</summary>
public static class RotationOutcomes
{
    /// <summary>True when the outcome leaves a new key in force.</summary>
    public static bool ReplacedKey(this RotationOutcome outcome) => outcome is RotationOutcome.Rotated or RotationOutcome.Recovered;
}
