using System.Xml.Linq;
using Smets1Sim.Policy.Evaluation;
using Smets1Sim.Policy.Model;
using Smets1Sim.Policy.Policies;
using Smets1Sim.Policy.Reporting;
using Smets1Sim.Policy.Scheduling;
using Smets1Sim.Policy.Tests.Fakes;
using static Smets1Sim.Policy.Tests.Fakes.Devices;

namespace Smets1Sim.Policy.Tests.Reporting;

[TestClass]
public sealed class ComplianceReportTests
{
    public TestContext TestContext { get; set; } = null!;

    private static readonly DateTimeOffset At = Utc("2026-06-01T00:00:00Z");

    private static List<DeviceHistory> SmallFleet() =>
    [
        Device("chf-1", DeviceTypes.Chf, "2025-01-01T00:00:00Z", Both("2025-01-02T00:00:00Z")),
        Device("esme-1", DeviceTypes.Esme, "2025-01-01T00:00:00Z", [.. Both("2025-01-02T00:00:00Z"), Failed(KeyKind.EK, "2026-05-01T00:00:00Z", "association refused, \"bad\" key")]),
        Device("gpf-1", DeviceTypes.Gpf, "2025-01-01T00:00:00Z"),
        Device("ppmid-1", DeviceTypes.Ppmid, "2026-01-01T00:00:00Z", Both("2026-01-02T00:00:00Z")),
        Device("gsme-1", "GSME", "2025-01-01T00:00:00Z"),
    ];

    [TestMethod]
    public void Build_TwoPolicies_CountsPerStatusAndType()
    {
        ComplianceReport report = new ComplianceReportBuilder().Build(SmallFleet(), [BuiltInPolicies.S1sr20, BuiltInPolicies.Ckmp], At);

        PolicySummary s1sr = report.Policies[0], ckmp = report.Policies[1];
        Assert.AreEqual(new StatusCounts(Compliant: 1, DueSoon: 0, Overdue: 2, Failed: 1, NotApplicable: 1), s1sr.Counts, "chf-1 rotated 17 months ago, gpf-1 never");
        Assert.AreEqual(new StatusCounts(Compliant: 3, DueSoon: 0, Overdue: 1, Failed: 0, NotApplicable: 1), ckmp.Counts, "esme-1's failed attempt was optional under the CKMP");
        Assert.AreEqual("GSME", s1sr.ByType[^1].DeviceType, "unknown types are listed after the four");
        Assert.AreEqual(1, s1sr.ByType.Single(t => t.DeviceType == DeviceTypes.Esme).Counts.Failed);
        Assert.AreEqual(ComplianceStatus.Failed, s1sr.Attention[0].Status, "failed first");
        Assert.AreEqual(15 * 365.2425 / 12, s1sr.PeriodicLimitDays!.Value, 1e-9);
        Assert.AreEqual("15 months", s1sr.PeriodicLimit);
        Assert.IsNull(ckmp.PeriodicLimitDays);
        Assert.HasCount(5 * 3 * 2, report.Rows, "three supported keys (EK, AK, KEK) per device per policy");
    }

    [TestMethod]
    public void Build_KeyAge_OldestKeySinceLastReplacement()
    {
        ComplianceReport report = new ComplianceReportBuilder { SampleInterval = TimeSpan.FromDays(1) }
            .Build(SmallFleet(), [BuiltInPolicies.S1sr20], Utc("2025-01-11T00:00:00Z"), Utc("2025-01-01T00:00:00Z"));

        KeyAgeSeries gpf = report.KeyAge.Single(s => s.DeviceType == DeviceTypes.Gpf);
        KeyAgeSeries chf = report.KeyAge.Single(s => s.DeviceType == DeviceTypes.Chf);
        Assert.AreEqual(10, gpf.Points[^1].MaxDays, "never rotated: age since commissioning");
        Assert.AreEqual(0, chf.Points[1].MaxDays, "rotated at the sample instant: age starts again from 0");
        Assert.AreEqual(9, chf.Points[^1].MaxDays);
        Assert.IsEmpty(report.KeyAge.Single(s => s.DeviceType == DeviceTypes.Ppmid).Points, "not commissioned yet");
    }

    [TestMethod]
    public void Build_Outcomes_OnePerRotationPerMonth()
    {
        ComplianceReport report = new ComplianceReportBuilder().Build(SmallFleet(), [BuiltInPolicies.Ckmp], At);

        OutcomeBucket january = report.Outcomes.Single(m => m.Month == Utc("2025-01-01T00:00:00Z"));
        OutcomeBucket may = report.Outcomes.Single(m => m.Month == Utc("2026-05-01T00:00:00Z"));
        Assert.AreEqual(new OutcomeBucket(Utc("2025-01-01T00:00:00Z"), 2, 0, 0), january, "EK and AK at the same instant count once");
        Assert.AreEqual(1, may.Failed);
        Assert.HasCount(18, report.Outcomes, "January 2025 to June 2026");
    }

    [TestMethod]
    public void Csv_Rows_QuotedAndFormulaSafe()
    {
        ComplianceReport report = new ComplianceReportBuilder().Build(SmallFleet(), [BuiltInPolicies.S1sr20], At);

        string[] lines = ReportCsvWriter.ToCsv(report).Split("\r\n");

        Assert.AreEqual(ReportCsvWriter.Header, lines[0]);
        Assert.AreEqual(
            "s1sr-20,esme-1,premises-1,ESME,EK,failed,2025-01-02T00:00:00Z,2026-04-02T00:00:00Z,Periodic,s1sr-20-ek-ak,S1SR (SEC Appendix AM) section 20,\"association refused, \"\"bad\"\" key\"",
            lines.Single(l => l.StartsWith("s1sr-20,esme-1,premises-1,ESME,EK,", StringComparison.Ordinal)));
        Assert.AreEqual("s1sr-20,gsme-1,premises-1,GSME,KEK,not-applicable,,,,,,", lines.Single(l => l.StartsWith("s1sr-20,gsme-1,premises-1,GSME,KEK", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void Json_Report_StatusesKebabKeysAsNamed()
    {
        ComplianceReport report = new ComplianceReportBuilder().Build(SmallFleet(), [BuiltInPolicies.S1sr20], At);

        string json = ReportJsonWriter.ToJson(report);

        StringAssert.Contains(json, "\"status\": \"not-applicable\"");
        StringAssert.Contains(json, "\"key\": \"EK\"");
        StringAssert.Contains(json, "\"dueReason\": \"post-commissioning\"");
        StringAssert.Contains(json, "\"dueSoon\": 0");
    }

    [TestMethod]
    public async Task Html_GeneratedFleetTwoYears_SelfContainedWithThreeFigures()
    {
        List<DeviceHistory> fleet = SimulatedFleet.Generate(premises: 75, seed: 12);
        RotationRun run = await SimulatedFleet.RunAsync(BuiltInPolicies.S1sr20, fleet, TimeSpan.FromDays(730), seed: 12, TestContext.CancellationToken);
        ComplianceReport report = new ComplianceReportBuilder().Build(run.Fleet, [BuiltInPolicies.S1sr20, BuiltInPolicies.Ckmp], SimulatedFleet.Start.AddDays(730), SimulatedFleet.Start);

        string html = HtmlReportWriter.ToHtml(report);
        await WriteIfAskedAsync(report, html);

        XDocument page = XDocument.Parse(html);
        var figures = page.Descendants("figure").ToList();
        CollectionAssert.AreEqual(new[] { "status-counts", "key-age", "outcomes" }, figures.Select(f => (string?)f.Attribute("id")).ToArray());
        Assert.AreEqual(1 + 4 + 1, page.Descendants("svg").Count(), "one chart, four key-age panels, one chart");
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
        Assert.IsFalse(page.Descendants("script").Any() || page.Descendants("link").Any() || page.Descendants("img").Any(), "nothing loaded from anywhere");
        Assert.AreEqual(300, report.DeviceCount);
        Assert.IsGreaterThan(550, run.Records.Count, "every device rotated after commissioning and again within 15 months");
        Assert.IsGreaterThan(0, report.Outcomes.Sum(m => m.Recovered));
        Assert.IsGreaterThan(0, report.Policies[0].Counts.Failed, "the dead devices");
    }

    /// <summary>Set SMETS1SIM_REPORT_DIR to keep the generated report (scripts/report-screenshot.sh renders it).</summary>
    private async Task WriteIfAskedAsync(ComplianceReport report, string html)
    {
        string? dir = Environment.GetEnvironmentVariable("SMETS1SIM_REPORT_DIR");
        if (string.IsNullOrEmpty(dir))
        {
            return;
        }

        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "report.html"), html, TestContext.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(dir, "report.json"), ReportJsonWriter.ToJson(report), TestContext.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(dir, "report.csv"), ReportCsvWriter.ToCsv(report), TestContext.CancellationToken);
    }
}
