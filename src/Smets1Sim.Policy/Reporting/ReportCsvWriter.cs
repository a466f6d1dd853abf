using System.Globalization;
using Smets1Sim.Policy.Evaluation;

namespace Smets1Sim.Policy.Reporting;

/// <summary>
/// Writes the report's rows as CSV (RFC 4180: comma-separated, CRLF, fields with a comma, quote or line break
/// quoted): one row per policy, device and key, for a spreadsheet.
/// </summary>
public static class ReportCsvWriter
{
    /// <summary>The header line.</summary>
    public const string Header = "policy,device_id,premises_id,device_type,key,status,last_rotation,due_at,due_reason,rule,clause,failure_reason";

    /// <summary>Writes the header and every row.</summary>
    public static void Write(ComplianceReport report, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(Header);
        writer.Write("\r\n");
        foreach (EvaluationRow row in report.Rows)
        {
            string?[] fields =
            [
                row.Policy, row.DeviceId, row.PremisesId, row.DeviceType, row.Key.ToString(), row.Status.ToName(),
                Time(row.LastRotation), Time(row.DueAt), row.DueReason == DueReason.None ? "" : row.DueReason.ToString(),
                row.RuleId, row.Clause, row.FailureReason,
            ];
            for (int i = 0; i < fields.Length; i++)
            {
                if (i > 0)
                {
                    writer.Write(',');
                }

                writer.Write(Field(fields[i]));
            }

            writer.Write("\r\n");
        }
    }

    /// <summary>The CSV as a string.</summary>
    public static string ToCsv(ComplianceReport report)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        Write(report, writer);
        return writer.ToString();
    }

    private static string Time(DateTimeOffset? t) => t?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) ?? "";

    private static string Field(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        // A reason text comes from a device or a network error; a leading =, +, - or @ would make a spreadsheet run it as a formula.
        if (text[0] is '=' or '+' or '-' or '@')
        {
            text = "'" + text;
        }

        return text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }
}
