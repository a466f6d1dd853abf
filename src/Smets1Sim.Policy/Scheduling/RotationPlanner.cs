using Smets1Sim.Policy.Evaluation;
using Smets1Sim.Policy.Model;
using Smets1Sim.Policy.Policies;

namespace Smets1Sim.Policy.Scheduling;

/// <summary>
/// Decides, from a device's history alone, which keys to rotate now and when the device next needs attention.
/// Pure and synchronous; <see cref="RotationScheduler"/> adds time, rate and concurrency.
/// </summary>
public sealed class RotationPlanner
{
    private readonly KeyPolicy _policy;
    private readonly PolicyEvaluator _evaluator;
    private readonly SchedulerOptions _options;

    /// <summary>Creates a planner.</summary>
    public RotationPlanner(KeyPolicy policy, PolicyEvaluator evaluator, SchedulerOptions options)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(evaluator);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _policy = policy;
        _evaluator = evaluator;
        _options = options;
    }

    /// <summary>The keys to rotate at <paramref name="now"/>, in <see cref="KeyKinds.All"/> order; empty when none.</summary>
    public IReadOnlyList<KeyKind> DueKeys(DeviceHistory device, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(device);
        var due = new List<KeyKind>(2);
        foreach (KeyEvaluation key in _evaluator.Evaluate(_policy, device, now).Keys)
        {
            if (ActionAt(device, key, now) is { } at && at <= now)
            {
                due.Add(key.Key);
            }
        }

        return due;
    }

    /// <summary>
    /// The earliest instant at or after which <see cref="DueKeys"/> may return a key, assuming nothing else
    /// happens: now or earlier when something is due; null when the policy will never ask anything of the device.
    /// </summary>
    public DateTimeOffset? NextActionAt(DeviceHistory device, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (now < device.CommissionedAt)
        {
            return device.CommissionedAt.ToUniversalTime();
        }

        DateTimeOffset? next = null;
        foreach (KeyEvaluation key in _evaluator.Evaluate(_policy, device, now).Keys)
        {
            next = Earliest(next, ActionAt(device, key, now));
        }

        // A trigger event still in the future may set a deadline when it happens.
        foreach (TriggerEvent e in device.Events)
        {
            if (e.At > now)
            {
                next = Earliest(next, e.At.ToUniversalTime());
            }
        }

        return next;
    }

    private DateTimeOffset? ActionAt(DeviceHistory device, KeyEvaluation key, DateTimeOffset now)
    {
        if (key.Status == ComplianceStatus.NotApplicable || key.DueAt is not { } due)
        {
            return null;
        }

        DateTimeOffset at = due - _options.LeadTime;
        if (key.LastFailure is { } failure && failure.At + RetryDelay(device, key, now) is var retry && retry > at)
        {
            at = retry;
        }

        return at;
    }

    /// <summary>RetryAfter doubled for each failure since the last replacement, at most MaxRetryAfter.</summary>
    private TimeSpan RetryDelay(DeviceHistory device, KeyEvaluation key, DateTimeOffset now)
    {
        int failures = 0;
        foreach (RotationAttempt attempt in device.Attempts)
        {
            if (attempt.Key == key.Key && attempt.Outcome == RotationOutcome.Failed && attempt.At <= now
                && attempt.At >= device.CommissionedAt && (key.LastRotation is null || attempt.At > key.LastRotation))
            {
                failures++;
            }
        }

        double factor = Math.Pow(2, Math.Min(Math.Max(failures - 1, 0), 20));
        TimeSpan delay = _options.RetryAfter * factor;
        return delay < _options.MaxRetryAfter ? delay : _options.MaxRetryAfter;
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a < b ? a : b;
}
