using System.Text.Json;
using System.Text.Json.Serialization;
using Smets1Sim.Policy.Model;

namespace Smets1Sim.Policy.Reporting;

/// <summary>Writes a <see cref="ComplianceReport"/> as indented JSON: camelCase fields, statuses in kebab-case, keys as EK, AK, BroadcastKey, KEK.</summary>
public static class ReportJsonWriter
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        // The key names are the vocabulary of policy files; every other enum is kebab-case like the files' events.
        Converters = { new JsonStringEnumConverter<KeyKind>(), new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false) },
    };

    /// <summary>The report as a JSON string.</summary>
    public static string ToJson(ComplianceReport report) => JsonSerializer.Serialize(report, Options);

    /// <summary>Writes the report to a stream as UTF-8 JSON.</summary>
    public static Task WriteAsync(ComplianceReport report, Stream stream, CancellationToken cancellationToken) =>
        JsonSerializer.SerializeAsync(stream, report, Options, cancellationToken);
}
