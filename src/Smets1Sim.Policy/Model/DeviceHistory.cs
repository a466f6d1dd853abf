namespace Smets1Sim.Policy.Model;

/// <summary>
/// What the policy engine knows about one device: the input model the head-end maps its key store to.
/// Times are UTC instants; entries later than the evaluation time are ignored, so a simulation may hold
/// events that have not happened yet.
/// </summary>
/// <param name="DeviceId">The device's id in the head-end (e.g. its system title in hex).</param>
/// <param name="PremisesId">The premises the device belongs to.</param>
/// <param name="DeviceType">One of <see cref="DeviceTypes"/>; other strings are held to no rule.</param>
/// <param name="CommissionedAt">When the device was commissioned.</param>
/// <param name="SupportedKeys">The keys the device's profile says it holds; only these are held to rules.</param>
/// <param name="Attempts">Every rotation attempt, in any order.</param>
/// <param name="Events">Trigger events, in any order.</param>
public sealed record DeviceHistory(
    string DeviceId,
    string PremisesId,
    string DeviceType,
    DateTimeOffset CommissionedAt,
    IReadOnlySet<KeyKind> SupportedKeys,
    IReadOnlyList<RotationAttempt> Attempts,
    IReadOnlyList<TriggerEvent> Events)
{
    /// <summary>A copy with more attempts appended.</summary>
    public DeviceHistory WithAttempts(IEnumerable<RotationAttempt> more) => this with { Attempts = [.. Attempts, .. more] };
}

/// <summary>One attempt to replace one key.</summary>
/// <param name="Key">The key.</param>
/// <param name="At">When the attempt ended.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Reason">Why it failed or needed recovery; null when it simply worked.</param>
public sealed record RotationAttempt(KeyKind Key, DateTimeOffset At, RotationOutcome Outcome, string? Reason = null);

/// <summary>An event that may oblige a rotation.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="At">When it happened.</param>
public sealed record TriggerEvent(TriggerKind Kind, DateTimeOffset At);
