using System.CommandLine;
using System.Globalization;
using System.Text;
using Smets1Sim.HeadEnd.Policy;
using Smets1Sim.HeadEnd.Store;
using Smets1Sim.Policy.Evaluation;
using Smets1Sim.Policy.Loading;
using Smets1Sim.Policy.Model;
using Smets1Sim.Policy.Policies;
using Smets1Sim.Policy.Reporting;
using Spectre.Console;

namespace Smets1Sim.Cli.Commands;

/// <summary>
/// <c>smets1sim headend report --policy P [--compare Q] [--format table|json|csv|html] [--out FILE]</c>: the key
/// store's compliance under one or two key policies. Parsing and wiring only.
/// </summary>
internal static class HeadEndReportCommand
{
    private static readonly string[] Formats = ["table", "json", "csv", "html"];

    public static Command Create(Option<string> storeOption, Option<string?> keyFileOption)
    {
        var policy = new Option<string>("--policy") { Description = "Built-in policy (s1sr-20, ckmp) or a policy file", Required = true };
        var compare = new Option<string?>("--compare") { Description = "A second policy to report side by side" };
        var format = new Option<string>("--format") { Description = "table, json, csv or html", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong(Formats);
        var output = new Option<string?>("--out") { Description = "Write the report to this file instead of stdout" };
        var report = new Command("report", "Key-policy compliance of every device in the store") { policy, compare, format, output, storeOption, keyFileOption };
        report.SetAction((r, ct) => HeadEndCommands.RunAsync(async () =>
        {
            try
            {
                var policies = new List<KeyPolicy> { await ResolveAsync(r.GetValue(policy)!, ct).ConfigureAwait(false) };
                if (r.GetValue(compare) is string q)
                {
                    policies.Add(await ResolveAsync(q, ct).ConfigureAwait(false));
                }

                IReadOnlyList<DeviceHistory> fleet;
                using (HeadEndStore store = HeadEndCommands.OpenStore(r))
                {
                    fleet = StoreHistoryAdapter.Load(store);
                }

                ComplianceReport built = new ComplianceReportBuilder().Build(fleet, policies, TimeProvider.System.GetUtcNow());
                string? path = r.GetValue(output);
                string fmt = r.GetValue(format)!;
                if (fmt == "table" && path is null && !Console.IsOutputRedirected)
                {
                    WriteSpectre(built);
                    return 0;
                }

                string text = fmt switch
                {
                    "json" => ReportJsonWriter.ToJson(built) + "\n",
                    "csv" => ReportCsvWriter.ToCsv(built),
                    "html" => HtmlReportWriter.ToHtml(built),
                    _ => ToText(built),
                };
                if (path is null)
                {
                    await Console.Out.WriteAsync(text).ConfigureAwait(false);
                }
                else
                {
                    await File.WriteAllTextAsync(path, text, new UTF8Encoding(false), ct).ConfigureAwait(false);
                }

                return 0;
            }
            catch (PolicyFileException ex)
            {
                await Console.Error.WriteLineAsync($"smets1sim: {ex.Message}").ConfigureAwait(false);
                return CliErrors.BadInput;
            }
        }));
        return report;
    }

    private static async Task<KeyPolicy> ResolveAsync(string nameOrPath, CancellationToken ct)
    {
        if (BuiltInPolicies.Find(nameOrPath) is KeyPolicy builtIn)
        {
            return builtIn;
        }

        if (!File.Exists(nameOrPath))
        {
            throw new UsageException($"{nameOrPath}: neither a built-in policy ({string.Join(", ", BuiltInPolicies.All.Select(p => p.Name))}) nor a policy file");
        }

        return await PolicyFileLoader.LoadAsync(nameOrPath, ct).ConfigureAwait(false);
    }

    /// <summary>The table format as plain text: counts per status and per type, then the devices needing attention.</summary>
    internal static string ToText(ComplianceReport report)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"Key-policy compliance at {report.At:yyyy-MM-dd HH:mm:ss}Z, {report.DeviceCount} devices\n");
        foreach (PolicySummary p in report.Policies)
        {
            sb.Append(CultureInfo.InvariantCulture, $"\n{p.Name}: {p.Title}\n");
            sb.Append(CultureInfo.InvariantCulture, $"{"type",-8} {"compliant",9} {"due-soon",9} {"overdue",9} {"failed",9} {"n/a",9} {"total",9}\n");
            foreach ((string type, StatusCounts c) in p.ByType.Select(t => (t.DeviceType, t.Counts)).Append(("all", p.Counts)))
            {
                sb.Append(CultureInfo.InvariantCulture, $"{type,-8} {c.Compliant,9} {c.DueSoon,9} {c.Overdue,9} {c.Failed,9} {c.NotApplicable,9} {c.Total,9}\n");
            }

            if (p.Attention.Count == 0)
            {
                sb.Append("no device overdue or failed\n");
                continue;
            }

            sb.Append("overdue or failed:\n");
            foreach (EvaluationRow row in p.Attention)
            {
                sb.Append(CultureInfo.InvariantCulture, $"  {row.DeviceId} {row.DeviceType} {row.Key} {row.Status.ToName()} due {Time(row.DueAt)} {row.Clause}{(row.FailureReason is null ? "" : " " + row.FailureReason)}\n");
            }
        }

        return sb.ToString();
    }

    private static string Time(DateTimeOffset? at) => at?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "-";

    private static void WriteSpectre(ComplianceReport report)
    {
        AnsiConsole.WriteLine($"Key-policy compliance at {report.At.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}Z, {report.DeviceCount} devices");
        foreach (PolicySummary p in report.Policies)
        {
            var counts = new Table { Title = new TableTitle(Markup.Escape($"{p.Name}: {p.Title}")) };
            counts.AddColumns("type", "compliant", "due-soon", "overdue", "failed", "n/a", "total");
            foreach ((string type, StatusCounts c) in p.ByType.Select(t => (t.DeviceType, t.Counts)).Append(("all", p.Counts)))
            {
                counts.AddRow(Markup.Escape(type), N(c.Compliant), N(c.DueSoon), N(c.Overdue), N(c.Failed), N(c.NotApplicable), N(c.Total));
            }

            AnsiConsole.Write(counts);
            if (p.Attention.Count == 0)
            {
                AnsiConsole.WriteLine("no device overdue or failed");
                continue;
            }

            var attention = new Table { Title = new TableTitle("overdue or failed") };
            attention.AddColumns("device", "type", "key", "status", "due", "clause", "reason");
            foreach (EvaluationRow row in p.Attention)
            {
                attention.AddRow(Markup.Escape(row.DeviceId), Markup.Escape(row.DeviceType), row.Key.ToString(), row.Status.ToName(), Time(row.DueAt), Markup.Escape(row.Clause ?? ""), Markup.Escape(row.FailureReason ?? ""));
            }

            AnsiConsole.Write(attention);
        }
    }

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);
}
