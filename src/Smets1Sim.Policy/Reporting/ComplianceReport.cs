using Smets1Sim.Policy.Evaluation;
using Smets1Sim.Policy.Model;

namespace Smets1Sim.Policy.Reporting;

/// <summary>
/// Everything a compliance report shows, as plain data: the terminal table (drawn by the CLI), JSON, CSV and
/// HTML are all renderings of this one model.
/// </summary>
/// <param name="At">The evaluation instant.</param>
/// <param name="From">Start of the period the timelines cover.</param>
/// <param name="DeviceCount">Devices in the fleet.</param>
/// <param name="Policies">One summary per policy, in the order given (one, or two side by side).</param>
/// <param name="KeyAge">Key age over time per device type.</param>
/// <param name="Outcomes">Rotation outcomes per calendar month.</param>
/// <param name="Rows">One row per policy, device and supported key.</param>
public sealed record ComplianceReport(
    DateTimeOffset At,
    DateTimeOffset From,
    int DeviceCount,
    IReadOnlyList<PolicySummary> Policies,
    IReadOnlyList<KeyAgeSeries> KeyAge,
    IReadOnlyList<OutcomeBucket> Outcomes,
    IReadOnlyList<EvaluationRow> Rows);

/// <summary>Counts under one policy.</summary>
/// <param name="Name">Policy name.</param>
/// <param name="Title">Policy title.</param>
/// <param name="Rules">Its rules, with their clauses.</param>
/// <param name="Counts">Devices per status (a device counts once, under its worst key).</param>
/// <param name="ByType">The same per device type.</param>
/// <param name="Attention">Devices overdue or failed, most urgent first.</param>
/// <param name="PeriodicLimitDays">The longest periodic interval in days (approximate, for charts); null when the policy has none.</param>
/// <param name="PeriodicLimit">That interval in words, e.g. "15 months".</param>
public sealed record PolicySummary(
    string Name,
    string Title,
    IReadOnlyList<RuleSummary> Rules,
    StatusCounts Counts,
    IReadOnlyList<TypeCounts> ByType,
    IReadOnlyList<EvaluationRow> Attention,
    double? PeriodicLimitDays,
    string? PeriodicLimit);

/// <summary>A rule as the report cites it.</summary>
public sealed record RuleSummary(string Id, string Clause, string Description);

/// <summary>Devices per status.</summary>
public sealed record StatusCounts(int Compliant, int DueSoon, int Overdue, int Failed, int NotApplicable)
{
    /// <summary>The count of one status.</summary>
    public int this[ComplianceStatus status] => status switch
    {
        ComplianceStatus.Compliant => Compliant,
        ComplianceStatus.DueSoon => DueSoon,
        ComplianceStatus.Overdue => Overdue,
        ComplianceStatus.Failed => Failed,
        _ => NotApplicable,
    };

    /// <summary>All devices counted.</summary>
    public int Total => Compliant + DueSoon + Overdue + Failed + NotApplicable;

    /// <summary>Counts a sequence of statuses.</summary>
    public static StatusCounts Of(IEnumerable<ComplianceStatus> statuses)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        int[] n = new int[5];
        foreach (ComplianceStatus s in statuses)
        {
            n[(int)s]++;
        }

        return new StatusCounts(n[(int)ComplianceStatus.Compliant], n[(int)ComplianceStatus.DueSoon], n[(int)ComplianceStatus.Overdue], n[(int)ComplianceStatus.Failed], n[(int)ComplianceStatus.NotApplicable]);
    }
}

/// <summary>Devices per status for one device type.</summary>
public sealed record TypeCounts(string DeviceType, StatusCounts Counts);

/// <summary>One key of one device under one policy.</summary>
/// <param name="Policy">Policy name.</param>
/// <param name="DeviceId">Device.</param>
/// <param name="PremisesId">Its premises.</param>
/// <param name="DeviceType">Its type.</param>
/// <param name="Key">The key.</param>
/// <param name="Status">The key's status.</param>
/// <param name="LastRotation">Last replacement, if any.</param>
/// <param name="DueAt">Next deadline, if any.</param>
/// <param name="DueReason">What set the deadline.</param>
/// <param name="RuleId">The rule that set the status.</param>
/// <param name="Clause">Its clause.</param>
/// <param name="FailureReason">Why the last attempt failed, when the status is failed.</param>
public sealed record EvaluationRow(
    string Policy,
    string DeviceId,
    string PremisesId,
    string DeviceType,
    KeyKind Key,
    ComplianceStatus Status,
    DateTimeOffset? LastRotation,
    DateTimeOffset? DueAt,
    DueReason DueReason,
    string? RuleId,
    string? Clause,
    string? FailureReason);

/// <summary>Key age of one device type over time: the age of each device's oldest key that a rule names.</summary>
public sealed record KeyAgeSeries(string DeviceType, IReadOnlyList<KeyAgePoint> Points);

/// <summary>One sample of key age.</summary>
/// <param name="At">Sample instant.</param>
/// <param name="Devices">Commissioned devices of the type at that instant.</param>
/// <param name="MedianDays">Median key age in days.</param>
/// <param name="MaxDays">Oldest key age in days.</param>
public sealed record KeyAgePoint(DateTimeOffset At, int Devices, double MedianDays, double MaxDays);

/// <summary>Rotations that ended in one calendar month (UTC), one per device and attempt time, whatever the number of keys.</summary>
public sealed record OutcomeBucket(DateTimeOffset Month, int Rotated, int Recovered, int Failed);
