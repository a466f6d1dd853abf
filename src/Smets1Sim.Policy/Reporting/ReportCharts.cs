using System.Globalization;
using Smets1Sim.Policy.Evaluation;

namespace Smets1Sim.Policy.Reporting;

/// <summary>The three pictures of the HTML report, as inline SVG.</summary>
internal static class ReportCharts
{
    public static readonly (ComplianceStatus Status, string Label, string Color)[] StatusStyle =
    [
        (ComplianceStatus.Compliant, "Compliant", "#2e7d32"),
        (ComplianceStatus.DueSoon, "Due soon", "#f9a825"),
        (ComplianceStatus.Overdue, "Overdue", "#c62828"),
        (ComplianceStatus.Failed, "Failed", "#6a1b9a"),
        (ComplianceStatus.NotApplicable, "Not applicable", "#9e9e9e"),
    ];

    private const string Axis = "#9e9e9e";
    private const string Grid = "#eeeeee";
    private static readonly string[] LimitColors = ["#c62828", "#ef6c00"];

    /// <summary>Grouped bars: for each status, one bar per policy, with its count on top.</summary>
    public static string StatusCounts(ComplianceReport report)
    {
        const int width = 1160, height = 330, left = 60, right = 20, top = 40, bottom = 70;
        var svg = new Svg(width, height, "Devices per status under each policy");
        int max = Math.Max(1, report.Policies.Max(p => StatusStyle.Max(s => p.Counts[s.Status])));
        double yMax = NiceCeiling(max);
        double plotH = height - top - bottom, plotW = width - left - right;
        YAxis(svg, left, top, plotW, plotH, yMax, "devices");

        int policies = report.Policies.Count;
        double group = plotW / StatusStyle.Length;
        double bar = Math.Min(90, (group - 40) / policies);
        for (int g = 0; g < StatusStyle.Length; g++)
        {
            (ComplianceStatus status, string label, string color) = StatusStyle[g];
            double x0 = left + (g * group) + ((group - (bar * policies) - (6 * (policies - 1))) / 2);
            for (int p = 0; p < policies; p++)
            {
                PolicySummary policy = report.Policies[p];
                int count = policy.Counts[status];
                // A small count still shows as a visible sliver next to a tall bar.
                double h = count == 0 ? 0 : Math.Max(3, plotH * count / yMax);
                double x = x0 + (p * (bar + 6));
                double y = top + plotH - h;
                svg.Rect(x, y, bar, h, color, $"{policy.Name}: {count} {label.ToLowerInvariant()}");
                if (p == 1)
                {
                    // The second policy's bars are hatched, so the pairs read apart without colour.
                    svg.Rect(x, y, bar, h, "url(#hatch)");
                }

                svg.Text(x + (bar / 2), y - 6, count.ToString(CultureInfo.InvariantCulture), "middle", 13, "#222", "bold");
                svg.Text(x + (bar / 2), top + plotH + 16, policy.Name, "middle", 11, "#555");
            }

            svg.Text(left + (g * group) + (group / 2), top + plotH + 38, label, "middle", 14, color, "bold");
        }

        svg.Raw("<defs><pattern id=\"hatch\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
            + "<rect width=\"3\" height=\"8\" fill=\"#ffffff\" fill-opacity=\"0.45\"/></pattern></defs>");
        string legend = report.Policies.Count == 1 ? "" : $" Left bar of each pair: {report.Policies[0].Name}; right, hatched: {report.Policies[1].Name}.";
        svg.Text(left, 20, $"Devices by their worst key, at {Day(report.At)}.{legend}", "start", 13, "#333");
        return svg.ToString();
    }

    /// <summary>One panel per device type: median and oldest key age over time, with each policy's periodic limit.</summary>
    public static string KeyAge(ComplianceReport report, KeyAgeSeries series)
    {
        const int width = 570, height = 270, left = 55, right = 15, top = 46, bottom = 34;
        var svg = new Svg(width, height, $"Key age of {series.DeviceType} devices over time");
        double plotW = width - left - right, plotH = height - top - bottom;
        double maxAge = series.Points.Count == 0 ? 1 : series.Points.Max(p => p.MaxDays);
        double limits = report.Policies.Max(p => p.PeriodicLimitDays ?? 0);
        double yMax = NiceCeiling(Math.Max(Math.Max(maxAge, limits) * 1.08, 10));
        YAxis(svg, left, top, plotW, plotH, yMax, "days");
        TimeAxis(svg, report.From, report.At, left, top + plotH, plotW);

        double X(DateTimeOffset t) => left + (plotW * (t - report.From).TotalSeconds / Math.Max(1, (report.At - report.From).TotalSeconds));
        double Y(double days) => top + plotH - (plotH * days / yMax);

        for (int i = 0; i < report.Policies.Count; i++)
        {
            PolicySummary policy = report.Policies[i];
            if (policy.PeriodicLimitDays is { } limit)
            {
                svg.Line(left, Y(limit), left + plotW, Y(limit), LimitColors[i], 2, "7 4");
                svg.Text(left + plotW - 4, Y(limit) - 5, $"{policy.Name} limit: {policy.PeriodicLimit}", "end", 11, LimitColors[i], "bold");
            }
        }

        svg.Polyline(series.Points.Select(p => (X(p.At), Y(p.MaxDays))), "#37474f", 2);
        svg.Polyline(series.Points.Select(p => (X(p.At), Y(p.MedianDays))), "#1e88e5", 2);

        int devices = series.Points.Count == 0 ? 0 : series.Points[^1].Devices;
        svg.Text(left, 18, $"{series.DeviceType} ({devices} devices)", "start", 15, "#222", "bold");
        svg.Line(left, 32, left + 22, 32, "#37474f", 2).Text(left + 27, 36, "oldest key", "start", 11);
        svg.Line(left + 105, 32, left + 127, 32, "#1e88e5", 2).Text(left + 132, 36, "median key", "start", 11);
        string noLimit = string.Join(", ", report.Policies.Where(p => p.PeriodicLimitDays is null).Select(p => p.Name));
        if (noLimit.Length > 0)
        {
            svg.Text(left + plotW, 36, $"{noLimit}: no periodic limit", "end", 11, "#555");
        }

        return svg.ToString();
    }

    /// <summary>Stacked bars per month: rotated, recovered, failed.</summary>
    public static string Outcomes(ComplianceReport report)
    {
        const int width = 1160, height = 320, left = 60, right = 20, top = 44, bottom = 40;
        var svg = new Svg(width, height, "Rotation outcomes per month");
        double plotW = width - left - right, plotH = height - top - bottom;
        IReadOnlyList<OutcomeBucket> months = report.Outcomes;
        int max = Math.Max(1, months.Count == 0 ? 0 : months.Max(m => m.Rotated + m.Recovered + m.Failed));
        double yMax = NiceCeiling(max);
        YAxis(svg, left, top, plotW, plotH, yMax, "rotations");
        (string Label, string Color)[] parts = [("rotated", "#2e7d32"), ("recovered", "#0277bd"), ("failed", "#c62828")];
        double slot = plotW / Math.Max(1, months.Count);
        double bar = Math.Max(2, slot * 0.7);
        int every = Math.Max(1, (int)Math.Ceiling(months.Count / 12.0));
        for (int i = 0; i < months.Count; i++)
        {
            OutcomeBucket m = months[i];
            int[] values = [m.Rotated, m.Recovered, m.Failed];
            double x = left + (i * slot) + ((slot - bar) / 2);
            double y = top + plotH;
            for (int k = 0; k < 3; k++)
            {
                double h = plotH * values[k] / yMax;
                y -= h;
                if (values[k] > 0)
                {
                    svg.Rect(x, y, bar, h, parts[k].Color, $"{Month(m.Month)}: {values[k]} {parts[k].Label}");
                }
            }

            if (i % every == 0)
            {
                svg.Text(x + (bar / 2), top + plotH + 16, Month(m.Month), "middle", 11, "#555");
            }
        }

        int total = months.Sum(m => m.Rotated + m.Recovered + m.Failed);
        svg.Text(left, 20, $"Rotations that ended each month (UTC), {total} in all; a rotation of EK and AK together counts once.", "start", 13);
        double lx = left;
        foreach ((string label, string color) in parts)
        {
            int sum = label switch { "rotated" => months.Sum(m => m.Rotated), "recovered" => months.Sum(m => m.Recovered), _ => months.Sum(m => m.Failed) };
            svg.Rect(lx, 28, 12, 12, color).Text(lx + 17, 39, $"{label} ({sum})", "start", 12);
            lx += 150;
        }

        return svg.ToString();
    }

    private static void YAxis(Svg svg, double left, double top, double plotW, double plotH, double yMax, string unit)
    {
        double step = NiceStep(yMax / 5);
        for (double v = 0; v <= yMax + 0.001; v += step)
        {
            double y = top + plotH - (plotH * v / yMax);
            svg.Line(left, y, left + plotW, y, v == 0 ? Axis : Grid);
            svg.Text(left - 6, y + 4, v.ToString("0", CultureInfo.InvariantCulture), "end", 11, "#555");
        }

        svg.Text(left - 6, top - 8, unit, "end", 11, "#555");
    }

    private static void TimeAxis(Svg svg, DateTimeOffset from, DateTimeOffset to, double left, double y, double plotW)
    {
        double span = Math.Max(1, (to - from).TotalSeconds);
        int monthsSpan = Math.Max(1, ((to.Year - from.Year) * 12) + to.Month - from.Month);
        int every = monthsSpan <= 8 ? 1 : monthsSpan <= 18 ? 3 : 6;
        for (var m = new DateTimeOffset(from.Year, from.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1); m <= to; m = m.AddMonths(1))
        {
            if ((m.Month - 1) % every != 0)
            {
                continue;
            }

            double x = left + (plotW * (m - from).TotalSeconds / span);
            svg.Line(x, y, x, y + 4, Axis);
            // A label too close to the right edge would be cut off.
            if (x <= left + plotW - 24)
            {
                svg.Text(x, y + 17, Month(m), "middle", 11, "#555");
            }
        }
    }

    private static string Month(DateTimeOffset t) => t.ToString("MMM yyyy", CultureInfo.InvariantCulture);

    private static string Day(DateTimeOffset t) => t.UtcDateTime.ToString("d MMM yyyy HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static double NiceStep(double raw)
    {
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(Math.Max(raw, 1e-9))));
        double f = raw / magnitude;
        return magnitude * (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10);
    }

    private static double NiceCeiling(double value)
    {
        double step = NiceStep(value / 5);
        return Math.Max(step, Math.Ceiling(value / step) * step);
    }
}
