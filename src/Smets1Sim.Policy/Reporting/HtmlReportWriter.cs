using System.Globalization;
using System.Text;
using Smets1Sim.Policy.Evaluation;

namespace Smets1Sim.Policy.Reporting;

/// <summary>
/// Writes a <see cref="ComplianceReport"/> as one self-contained HTML file: inline CSS and SVG, system fonts,
/// no script and no link to anything, so it opens the same offline. It is also well-formed XML, which the tests
/// use to check it.
/// </summary>
public static class HtmlReportWriter
{
    /// <summary>Rows of the overdue/failed list shown per policy; the CSV has them all.</summary>
    public const int AttentionRows = 25;

    /// <summary>The page as a string.</summary>
    public static string ToHtml(ComplianceReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var html = new StringBuilder(64 * 1024);
        string policies = string.Join(" and ", report.Policies.Select(p => p.Name));
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>")
            .Append("<title>Key rotation compliance: ").Append(E(policies)).Append("</title><style>")
            .Append(Css)
            .Append("</style></head><body>");
        html.Append("<h1>Key rotation compliance</h1><p class=\"sub\">")
            .Append(report.DeviceCount.ToString(CultureInfo.InvariantCulture)).Append(" devices, evaluated at ").Append(E(Time(report.At)))
            .Append(", under ").Append(E(policies)).Append(". Timelines from ").Append(E(Time(report.From))).Append(".</p>");

        html.Append("<div class=\"cards\">");
        foreach (PolicySummary policy in report.Policies)
        {
            html.Append("<div class=\"card\"><h2>").Append(E(policy.Name)).Append("</h2><p>").Append(E(policy.Title)).Append("</p><div class=\"nums\">");
            foreach ((ComplianceStatus status, string label, string color) in ReportCharts.StatusStyle)
            {
                html.Append("<div><b style=\"color:").Append(color).Append("\">").Append(policy.Counts[status].ToString(CultureInfo.InvariantCulture))
                    .Append("</b><span>").Append(E(label)).Append("</span></div>");
            }

            html.Append("</div>");
            foreach (RuleSummary rule in policy.Rules)
            {
                html.Append("<p class=\"rule\"><b>").Append(E(rule.Clause)).Append(".</b> ").Append(E(rule.Description)).Append("</p>");
            }

            html.Append("</div>");
        }

        html.Append("</div>");

        html.Append("<figure id=\"status-counts\"><h2>Devices per status, policy by policy</h2>")
            .Append(ReportCharts.StatusCounts(report))
            .Append("<figcaption>Each device counts once, under its worst key. Failed: the last attempt failed and nothing replaced the key since.</figcaption></figure>");

        html.Append("<figure id=\"key-age\"><h2>Key age by device type</h2><div class=\"grid\">");
        foreach (KeyAgeSeries series in report.KeyAge)
        {
            html.Append("<div>").Append(ReportCharts.KeyAge(report, series)).Append("</div>");
        }

        html.Append("</div><figcaption>Age of each device's oldest EK or AK (the keys a rule names) since its last replacement, or since commissioning; sampled weekly. "
            + "A line above a dashed limit is a device out of policy. The 7-day post-commissioning deadline is too short to draw.</figcaption></figure>");

        html.Append("<figure id=\"outcomes\"><h2>Rotation outcomes over time</h2>")
            .Append(ReportCharts.Outcomes(report))
            .Append("<figcaption>Recovered: the attempt was interrupted and the head-end found the device holding the new key.</figcaption></figure>");

        html.Append("<h2>Per device type</h2><div class=\"cards\">");
        foreach (PolicySummary policy in report.Policies)
        {
            html.Append("<div class=\"card\"><h3>").Append(E(policy.Name)).Append("</h3><table><thead><tr><th>type</th>");
            foreach ((_, string label, _) in ReportCharts.StatusStyle)
            {
                html.Append("<th class=\"n\">").Append(E(label)).Append("</th>");
            }

            html.Append("<th class=\"n\">total</th></tr></thead><tbody>");
            foreach (TypeCounts type in policy.ByType)
            {
                html.Append("<tr><td>").Append(E(type.DeviceType)).Append("</td>");
                foreach ((ComplianceStatus status, _, _) in ReportCharts.StatusStyle)
                {
                    html.Append("<td class=\"n\">").Append(type.Counts[status].ToString(CultureInfo.InvariantCulture)).Append("</td>");
                }

                html.Append("<td class=\"n\">").Append(type.Counts.Total.ToString(CultureInfo.InvariantCulture)).Append("</td></tr>");
            }

            html.Append("</tbody></table></div>");
        }

        html.Append("</div>");

        foreach (PolicySummary policy in report.Policies)
        {
            html.Append("<h2>Overdue or failed under ").Append(E(policy.Name)).Append(" (").Append(policy.Attention.Count.ToString(CultureInfo.InvariantCulture)).Append(" keys)</h2>");
            if (policy.Attention.Count == 0)
            {
                html.Append("<p>None.</p>");
                continue;
            }

            html.Append("<table class=\"wide\"><thead><tr><th>status</th><th>device</th><th>premises</th><th>type</th><th>key</th><th>last rotation</th><th>due</th><th>why due</th><th>failure</th></tr></thead><tbody>");
            foreach (EvaluationRow row in policy.Attention.Take(AttentionRows))
            {
                string color = Array.Find(ReportCharts.StatusStyle, s => s.Status == row.Status).Color;
                html.Append("<tr><td><b style=\"color:").Append(color).Append("\">").Append(E(row.Status.ToName()))
                    .Append(row.Status == ComplianceStatus.Failed && row.DueAt < report.At ? "</b>, overdue</td><td>" : "</b></td><td>").Append(E(row.DeviceId))
                    .Append("</td><td>").Append(E(row.PremisesId)).Append("</td><td>").Append(E(row.DeviceType))
                    .Append("</td><td>").Append(E(row.Key.ToString())).Append("</td><td>").Append(E(Time(row.LastRotation) ?? "never"))
                    .Append("</td><td>").Append(E(Time(row.DueAt) ?? "")).Append("</td><td>").Append(E(Why(row.DueReason)))
                    .Append("</td><td>").Append(E(row.FailureReason ?? "")).Append("</td></tr>");
            }

            html.Append("</tbody></table>");
            if (policy.Attention.Count > AttentionRows)
            {
                html.Append("<p class=\"sub\">and ").Append((policy.Attention.Count - AttentionRows).ToString(CultureInfo.InvariantCulture))
                    .Append(" more in the CSV report.</p>");
            }
        }

        html.Append("</body></html>\n");
        return html.ToString();
    }

    /// <summary>Writes the page to a file.</summary>
    public static Task WriteAsync(ComplianceReport report, string path, CancellationToken cancellationToken) =>
        File.WriteAllTextAsync(path, ToHtml(report), new UTF8Encoding(false), cancellationToken);

    private const string Css =
        "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;color:#222;max-width:1180px;margin:24px auto;padding:0 10px;background:#fff}"
        + "h1{margin:0 0 4px;font-size:28px}h2{font-size:20px;margin:28px 0 8px}h3{margin:0 0 8px}"
        + ".sub{color:#555;margin:0 0 16px}"
        + ".cards{display:flex;gap:16px;flex-wrap:wrap}.card{flex:1 1 45%;border:1px solid #ddd;border-radius:8px;padding:12px 16px}"
        + ".card h2{margin:0 0 4px}.card p{margin:4px 0}.rule{font-size:13px;color:#444}"
        + ".nums{display:flex;gap:18px;margin:10px 0}.nums div{display:flex;flex-direction:column}.nums b{font-size:28px}.nums span{font-size:12px;color:#555}"
        + "figure{margin:24px 0;padding:0}figcaption{font-size:13px;color:#555;margin-top:4px}"
        + ".grid{display:grid;grid-template-columns:1fr 1fr;gap:8px}"
        + "table{border-collapse:collapse;font-size:13px}th,td{padding:3px 8px;border-bottom:1px solid #eee;text-align:left}td.n,th.n{text-align:right}"
        + "table.wide{width:100%}svg{font-family:inherit}";

    private static string E(string text) => Svg.Encode(text);

    private static string? Time(DateTimeOffset? t) => t?.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string Why(DueReason reason) => reason switch
    {
        DueReason.PostCommissioning => "post-commissioning",
        DueReason.Periodic => "periodic",
        DueReason.Trigger => "trigger event",
        _ => "",
    };
}
