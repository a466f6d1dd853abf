using Smets1Sim.Policy.Model;

namespace Smets1Sim.Policy.Policies;

/// <summary>A named key-management policy: a set of rules, each about some keys of some device types.</summary>
/// <param name="Name">Short name (<c>s1sr-20</c>, <c>ckmp</c>, or a custom file's).</param>
/// <param name="Title">One line for people.</param>
/// <param name="Rules">The rules; a key no rule names is not held to anything.</param>
public sealed record KeyPolicy(string Name, string Title, IReadOnlyList<PolicyRule> Rules);

/// <summary>
/// One obligation: replace <see cref="Keys"/> of <see cref="DeviceTypes"/> within
/// <see cref="PostCommissioning"/> of commissioning, then at intervals no greater than <see cref="MaxInterval"/>
/// (if any), and within each trigger's own deadline after a trigger event.
/// </summary>
/// <param name="Id">Short id, unique in its policy.</param>
/// <param name="Clause">The clause that imposes it, cited in reports (e.g. "S1SR section 20").</param>
/// <param name="Description">What it asks, in words.</param>
/// <param name="Keys">The keys it is about.</param>
/// <param name="DeviceTypes">The device types it is about.</param>
/// <param name="PostCommissioning">Deadline after commissioning for the first replacement.</param>
/// <param name="MaxInterval">Longest allowed time between replacements; null for no periodic rotation.</param>
/// <param name="Triggers">Events that oblige a replacement, each with its deadline.</param>
public sealed record PolicyRule(
    string Id,
    string Clause,
    string Description,
    IReadOnlySet<KeyKind> Keys,
    IReadOnlySet<string> DeviceTypes,
    PolicyPeriod PostCommissioning,
    PolicyPeriod? MaxInterval,
    IReadOnlyList<TriggerRule> Triggers)
{
    /// <summary>True when the rule holds this key of this device type.</summary>
    public bool Covers(string deviceType, KeyKind key) => Keys.Contains(key) && DeviceTypes.Contains(deviceType);
}

/// <summary>A trigger event and the deadline it sets.</summary>
/// <param name="Kind">The event.</param>
/// <param name="Within">Deadline after the event.</param>
public sealed record TriggerRule(TriggerKind Kind, PolicyPeriod Within);
