using Smets1Sim.Policy.Model;
using Smets1Sim.Policy.Policies;

namespace Smets1Sim.Policy.Evaluation;

/// <summary>
/// Decides where each key of a device stands under a policy at an instant. Pure: no clock, no I/O; the caller
/// passes "now" (from its TimeProvider).
/// </summary>
/// <remarks>
/// How the policy words map to instants (S1SR section 20 as quoted in the DCC consultation of 22 October 2021,
/// section 2.3: "in any event within 7 days ... following the Commissioning ... and at intervals no greater than
/// 15 months thereafter"):
/// <list type="bullet">
/// <item>"Within 7 days following the Commissioning": the deadline is commissioning + 7 × 24 h, and a
/// replacement at exactly that instant is in time. Only a replacement at or after commissioning counts.</item>
/// <item>"Intervals no greater than 15 months": the next deadline is the last replacement + 15 calendar months,
/// the day clamped to the end of a shorter month (30 Nov 2023 → 28 Feb 2025, 30 Nov 2022 → 29 Feb 2024), the
/// time of day kept; a replacement at exactly that instant is in time (<see cref="PolicyPeriod.AddTo"/>).</item>
/// <item>A key is overdue only when now is strictly after its deadline, and due soon when the deadline is no
/// more than the due-soon window away.</item>
/// <item>A trigger event (e.g. suspected compromise) sets its own deadline after the event, answered by any
/// replacement at or after the event; the earliest unanswered deadline wins.</item>
/// <item>A key is failed when its latest attempt failed, nothing replaced it since, and a deadline is open.</item>
/// <item>Everything is compared as UTC instants; attempts and events later than now are ignored.</item>
/// </list>
/// </remarks>
public sealed class PolicyEvaluator
{
    /// <summary>The due-soon window used when none is given.</summary>
    public static readonly TimeSpan DefaultDueSoonWindow = TimeSpan.FromDays(30);

    /// <summary>Creates an evaluator.</summary>
    /// <param name="dueSoonWindow">How far ahead a deadline makes a key due soon; zero or more.</param>
    public PolicyEvaluator(TimeSpan? dueSoonWindow = null)
    {
        DueSoonWindow = dueSoonWindow ?? DefaultDueSoonWindow;
        ArgumentOutOfRangeException.ThrowIfLessThan(DueSoonWindow, TimeSpan.Zero, nameof(dueSoonWindow));
    }

    /// <summary>How far ahead a deadline makes a key due soon.</summary>
    public TimeSpan DueSoonWindow { get; }

    /// <summary>Evaluates every key the device supports.</summary>
    public DeviceEvaluation Evaluate(KeyPolicy policy, DeviceHistory device, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(device);
        now = now.ToUniversalTime();
        var keys = new List<KeyEvaluation>(device.SupportedKeys.Count);
        foreach (KeyKind key in KeyKinds.All)
        {
            if (device.SupportedKeys.Contains(key))
            {
                keys.Add(EvaluateKey(policy, device, key, now));
            }
        }

        return new DeviceEvaluation(device, policy, now, keys);
    }

    /// <summary>Evaluates a device under two policies at the same instant.</summary>
    public DeviceComparison Compare(KeyPolicy left, KeyPolicy right, DeviceHistory device, DateTimeOffset now) =>
        new(Evaluate(left, device, now), Evaluate(right, device, now));

    /// <summary>Evaluates one key: the worst result of the rules that hold it, the earliest deadline breaking ties.</summary>
    public KeyEvaluation EvaluateKey(KeyPolicy policy, DeviceHistory device, KeyKind key, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(device);
        now = now.ToUniversalTime();
        DateTimeOffset commissioned = device.CommissionedAt.ToUniversalTime();

        RotationAttempt? lastSuccess = null, lastAttempt = null;
        foreach (RotationAttempt attempt in device.Attempts)
        {
            if (attempt.Key != key || attempt.At < commissioned || attempt.At > now)
            {
                continue;
            }

            if (lastAttempt is null || attempt.At >= lastAttempt.At)
            {
                lastAttempt = attempt;
            }

            if (attempt.Outcome.ReplacedKey() && (lastSuccess is null || attempt.At >= lastSuccess.At))
            {
                lastSuccess = attempt;
            }
        }

        var notApplicable = new KeyEvaluation(key, ComplianceStatus.NotApplicable, lastSuccess?.At, null, DueReason.None, null, null, null);
        if (!device.SupportedKeys.Contains(key) || now < commissioned)
        {
            return notApplicable;
        }

        KeyEvaluation? worst = null;
        foreach (PolicyRule rule in policy.Rules)
        {
            if (!rule.Covers(device.DeviceType, key))
            {
                continue;
            }

            KeyEvaluation result = EvaluateRule(rule, device, key, commissioned, lastSuccess, lastAttempt, now);
            if (worst is null || result.Status > worst.Status
                || (result.Status == worst.Status && result.DueAt is { } due && (worst.DueAt is null || due < worst.DueAt)))
            {
                worst = result;
            }
        }

        return worst ?? notApplicable;
    }

    private KeyEvaluation EvaluateRule(
        PolicyRule rule,
        DeviceHistory device,
        KeyKind key,
        DateTimeOffset commissioned,
        RotationAttempt? lastSuccess,
        RotationAttempt? lastAttempt,
        DateTimeOffset now)
    {
        DateTimeOffset? due;
        DueReason reason;
        TriggerEvent? trigger = null;
        if (lastSuccess is null)
        {
            due = rule.PostCommissioning.AddTo(commissioned);
            reason = DueReason.PostCommissioning;
        }
        else if (rule.MaxInterval is { } interval)
        {
            due = interval.AddTo(lastSuccess.At);
            reason = DueReason.Periodic;
        }
        else
        {
            due = null;
            reason = DueReason.None;
        }

        foreach (TriggerEvent e in device.Events)
        {
            DateTimeOffset at = e.At.ToUniversalTime();
            if (at < commissioned || at > now || (lastSuccess is not null && lastSuccess.At >= at))
            {
                continue;
            }

            foreach (TriggerRule t in rule.Triggers)
            {
                if (t.Kind != e.Kind)
                {
                    continue;
                }

                DateTimeOffset triggerDue = t.Within.AddTo(at);
                if (due is null || triggerDue < due)
                {
                    due = triggerDue;
                    reason = DueReason.Trigger;
                    trigger = e;
                }
            }
        }

        // A failure matters only while an obligation is open: under a policy without periodic rotation, a failed
        // optional rotation of a key that was replaced in time leaves the device compliant.
        RotationAttempt? failure = due is not null && lastAttempt is { Outcome: RotationOutcome.Failed } ? lastAttempt : null;
        ComplianceStatus status =
            failure is not null ? ComplianceStatus.Failed
            : due is { } d && now > d ? ComplianceStatus.Overdue
            : due is { } s && now >= s - DueSoonWindow ? ComplianceStatus.DueSoon
            : ComplianceStatus.Compliant;
        return new KeyEvaluation(key, status, lastSuccess?.At, due, reason, trigger, rule, failure);
    }
}
