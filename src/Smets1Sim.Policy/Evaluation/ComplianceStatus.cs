namespace Smets1Sim.Policy.Evaluation;

/// <summary>
/// Where a key (or a device, the worst of its keys) stands. Declared from least to most urgent, so the
/// worst of several is the maximum.
/// </summary>
public enum ComplianceStatus
{
    /// <summary>No rule of the policy holds this key of this device (type not named, key not supported, or not yet commissioned).</summary>
    NotApplicable,

    /// <summary>Replaced in time; the next deadline is further away than the due-soon window.</summary>
    Compliant,

    /// <summary>The next deadline falls within the due-soon window.</summary>
    DueSoon,

    /// <summary>The deadline has passed without a replacement.</summary>
    Overdue,

    /// <summary>
    /// The latest attempt failed, nothing replaced the key since, and a deadline is open. It ranks above <see cref="Overdue"/>: the
    /// scheduler will not fix it by waiting, a person must look, and the due date still tells whether it is late.
    /// </summary>
    Failed,
}

/// <summary>Text forms of <see cref="ComplianceStatus"/>.</summary>
public static class ComplianceStatuses
{
    /// <summary>Every status, in report order (most urgent last).</summary>
    public static IReadOnlyList<ComplianceStatus> All { get; } =
        [ComplianceStatus.Compliant, ComplianceStatus.DueSoon, ComplianceStatus.Overdue, ComplianceStatus.Failed, ComplianceStatus.NotApplicable];

    /// <summary>The kebab-case name used in JSON, CSV and HTML.</summary>
    public static string ToName(this ComplianceStatus status) => status switch
    {
        ComplianceStatus.Compliant => "compliant",
        ComplianceStatus.DueSoon => "due-soon",
        ComplianceStatus.Overdue => "overdue",
        ComplianceStatus.Failed => "failed",
        _ => "not-applicable",
    };
}
