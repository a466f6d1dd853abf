using Smets1Sim.Policy.Evaluation;
using Smets1Sim.Policy.Model;
using Smets1Sim.Policy.Policies;

namespace Smets1Sim.Policy.Reporting;

/// <summary>Builds a <see cref="ComplianceReport"/> from device histories under one or two policies.</summary>
public sealed class ComplianceReportBuilder
{
    private readonly PolicyEvaluator _evaluator;

    /// <summary>Creates a builder.</summary>
    public ComplianceReportBuilder(PolicyEvaluator? evaluator = null) => _evaluator = evaluator ?? new PolicyEvaluator();

    /// <summary>How often the key-age timeline is sampled.</summary>
    public TimeSpan SampleInterval { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Builds the report at <paramref name="at"/>; the timelines start at the first commissioning unless <paramref name="from"/> is given.</summary>
    public ComplianceReport Build(IReadOnlyList<DeviceHistory> fleet, IReadOnlyList<KeyPolicy> policies, DateTimeOffset at, DateTimeOffset? from = null)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        ArgumentNullException.ThrowIfNull(policies);
        if (policies.Count is < 1 or > 2)
        {
            throw new ArgumentException("A report shows one policy, or two side by side.", nameof(policies));
        }

        at = at.ToUniversalTime();
        DateTimeOffset start = (from ?? (fleet.Count == 0 ? at : fleet.Min(d => d.CommissionedAt))).ToUniversalTime();
        var rows = new List<EvaluationRow>();
        var summaries = new List<PolicySummary>(policies.Count);
        foreach (KeyPolicy policy in policies)
        {
            var evaluations = fleet.Select(d => _evaluator.Evaluate(policy, d, at)).ToList();
            var policyRows = evaluations.SelectMany(e => e.Keys.Select(k => Row(policy, e.Device, k))).ToList();
            rows.AddRange(policyRows);
            summaries.Add(Summarize(policy, evaluations, policyRows));
        }

        IReadOnlySet<KeyKind> scope = policies.SelectMany(p => p.Rules).SelectMany(r => r.Keys).ToHashSet();
        return new ComplianceReport(at, start, fleet.Count, summaries, KeyAge(fleet, scope, start, at), Outcomes(fleet, start, at), rows);
    }

    private static EvaluationRow Row(KeyPolicy policy, DeviceHistory device, KeyEvaluation key) => new(
        policy.Name,
        device.DeviceId,
        device.PremisesId,
        device.DeviceType,
        key.Key,
        key.Status,
        key.LastRotation,
        key.DueAt,
        key.DueReason,
        key.Rule?.Id,
        key.Rule?.Clause,
        key.LastFailure?.Reason);

    private static PolicySummary Summarize(KeyPolicy policy, List<DeviceEvaluation> evaluations, List<EvaluationRow> rows)
    {
        var byType = DeviceTypes.All
            .Concat(evaluations.Select(e => e.Device.DeviceType).Where(t => !DeviceTypes.All.Contains(t)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            .Select(t => new TypeCounts(t, StatusCounts.Of(evaluations.Where(e => e.Device.DeviceType == t).Select(e => e.Status))))
            .Where(t => t.Counts.Total > 0)
            .ToList();
        var attention = rows
            .Where(r => r.Status is ComplianceStatus.Overdue or ComplianceStatus.Failed)
            .OrderByDescending(r => r.Status)
            .ThenBy(r => r.DueAt ?? DateTimeOffset.MaxValue)
            .ThenBy(r => r.DeviceId, StringComparer.Ordinal)
            .ThenBy(r => r.Key)
            .ToList();
        PolicyRule? periodic = policy.Rules.Where(r => r.MaxInterval is not null).MaxBy(r => r.MaxInterval!.Value.ApproximateDays);
        return new PolicySummary(
            policy.Name,
            policy.Title,
            policy.Rules.Select(r => new RuleSummary(r.Id, r.Clause, r.Description)).ToList(),
            StatusCounts.Of(evaluations.Select(e => e.Status)),
            byType,
            attention,
            periodic?.MaxInterval!.Value.ApproximateDays,
            periodic?.MaxInterval!.Value.ToWords());
    }

    private List<KeyAgeSeries> KeyAge(IReadOnlyList<DeviceHistory> fleet, IReadOnlySet<KeyKind> scope, DateTimeOffset from, DateTimeOffset to)
    {
        var series = new List<KeyAgeSeries>();
        foreach (IGrouping<string, DeviceHistory> type in fleet.GroupBy(d => d.DeviceType).OrderBy(g => TypeOrder(g.Key)))
        {
            // Successful replacements of in-scope keys, per device and key, sorted, so each sample is a search.
            var devices = type.Select(d => (Device: d, Keys: d.SupportedKeys.Where(scope.Contains).Select(k => Replacements(d, k)).ToList()))
                .Where(d => d.Keys.Count > 0)
                .ToList();
            var points = new List<KeyAgePoint>();
            var ages = new List<double>(devices.Count);
            for (DateTimeOffset t = from; t <= to; t += SampleInterval)
            {
                ages.Clear();
                foreach ((DeviceHistory device, List<DateTimeOffset[]> keys) in devices)
                {
                    DateTimeOffset commissioned = device.CommissionedAt.ToUniversalTime();
                    if (commissioned > t)
                    {
                        continue;
                    }

                    double oldest = 0;
                    foreach (DateTimeOffset[] replaced in keys)
                    {
                        int i = Array.BinarySearch(replaced, t);
                        DateTimeOffset since = (i >= 0 ? i : ~i - 1) is var last && last >= 0 ? replaced[last] : commissioned;
                        oldest = Math.Max(oldest, (t - since).TotalDays);
                    }

                    ages.Add(oldest);
                }

                if (ages.Count > 0)
                {
                    ages.Sort();
                    points.Add(new KeyAgePoint(t, ages.Count, ages[ages.Count / 2], ages[^1]));
                }
            }

            series.Add(new KeyAgeSeries(type.Key, points));
        }

        return series;
    }

    private static DateTimeOffset[] Replacements(DeviceHistory device, KeyKind key) =>
        device.Attempts
            .Where(a => a.Key == key && a.Outcome.ReplacedKey() && a.At >= device.CommissionedAt)
            .Select(a => a.At.ToUniversalTime())
            .Order()
            .ToArray();

    private static int TypeOrder(string type)
    {
        for (int i = 0; i < DeviceTypes.All.Count; i++)
        {
            if (DeviceTypes.All[i] == type)
            {
                return i;
            }
        }

        return int.MaxValue;
    }

    private static List<OutcomeBucket> Outcomes(IReadOnlyList<DeviceHistory> fleet, DateTimeOffset from, DateTimeOffset to)
    {
        var months = new SortedDictionary<DateTimeOffset, int[]>();
        for (DateTimeOffset m = MonthOf(from); m <= to; m = m.AddMonths(1))
        {
            months[m] = new int[3];
        }

        foreach (DeviceHistory device in fleet)
        {
            foreach ((DateTimeOffset at, RotationOutcome outcome) in device.Attempts.Select(a => (a.At.ToUniversalTime(), a.Outcome)).Distinct())
            {
                if (at >= from && at <= to && months.TryGetValue(MonthOf(at), out int[]? n))
                {
                    n[(int)outcome]++;
                }
            }
        }

        return months.Select(m => new OutcomeBucket(m.Key, m.Value[(int)RotationOutcome.Rotated], m.Value[(int)RotationOutcome.Recovered], m.Value[(int)RotationOutcome.Failed])).ToList();
    }

    private static DateTimeOffset MonthOf(DateTimeOffset t) => new(t.Year, t.Month, 1, 0, 0, 0, TimeSpan.Zero);
}
