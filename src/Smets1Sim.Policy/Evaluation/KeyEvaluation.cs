using Smets1Sim.Policy.Model;
using Smets1Sim.Policy.Policies;

namespace Smets1Sim.Policy.Evaluation;

/// <summary>Why a due date is what it is.</summary>
public enum DueReason
{
    /// <summary>No deadline: no rule applies, or the key was replaced and the rule has no periodic interval.</summary>
    None,

    /// <summary>The first replacement after commissioning.</summary>
    PostCommissioning,

    /// <summary>The rule's maximum interval since the last replacement.</summary>
    Periodic,

    /// <summary>A trigger event not yet answered by a replacement.</summary>
    Trigger,
}

/// <summary>The standing of one key of one device under one policy at one instant.</summary>
/// <param name="Key">The key.</param>
/// <param name="Status">Its status.</param>
/// <param name="LastRotation">Last replacement at or after commissioning, if any.</param>
/// <param name="DueAt">The next deadline; null when none.</param>
/// <param name="DueReason">What set <paramref name="DueAt"/>.</param>
/// <param name="Trigger">The trigger event when <paramref name="DueReason"/> is <see cref="Evaluation.DueReason.Trigger"/>.</param>
/// <param name="Rule">The rule that sets the status (with its clause); null when none applies.</param>
/// <param name="LastFailure">The failed attempt behind a <see cref="ComplianceStatus.Failed"/> status.</param>
public sealed record KeyEvaluation(
    KeyKind Key,
    ComplianceStatus Status,
    DateTimeOffset? LastRotation,
    DateTimeOffset? DueAt,
    DueReason DueReason,
    TriggerEvent? Trigger,
    PolicyRule? Rule,
    RotationAttempt? LastFailure);

/// <summary>The standing of one device under one policy: each supported key, and the worst of them.</summary>
/// <param name="Device">The device's history.</param>
/// <param name="Policy">The policy.</param>
/// <param name="At">The evaluation instant.</param>
/// <param name="Keys">One entry per key the device supports, in <see cref="KeyKinds.All"/> order.</param>
public sealed record DeviceEvaluation(DeviceHistory Device, KeyPolicy Policy, DateTimeOffset At, IReadOnlyList<KeyEvaluation> Keys)
{
    /// <summary>The worst key status; not applicable when the device supports no key a rule names.</summary>
    public ComplianceStatus Status => Keys.Count == 0 ? ComplianceStatus.NotApplicable : Keys.Max(k => k.Status);

    /// <summary>The earliest deadline of any key, or null.</summary>
    public DateTimeOffset? NextDueAt => Keys.Where(k => k.DueAt is not null).Select(k => k.DueAt).Min();
}

/// <summary>One device under two policies at the same instant.</summary>
/// <param name="Left">Under the first policy.</param>
/// <param name="Right">Under the second.</param>
public sealed record DeviceComparison(DeviceEvaluation Left, DeviceEvaluation Right)
{
    /// <summary>True when the two policies give the device different statuses.</summary>
    public bool Differs => Left.Status != Right.Status;
}
