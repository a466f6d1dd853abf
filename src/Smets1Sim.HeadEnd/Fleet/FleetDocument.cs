using System.Globalization;
using System.Text.Json;
using Smets1Sim.Dlms.Security;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.HeadEnd.Fleet;

/// <summary>One device of a fleet file as the head-end needs it (docs/fleet-file.md); the keys are the commissioning keys.</summary>
public sealed record FleetEntry(
    string Id,
    string PremisesId,
    string Type,
    string Host,
    int Port,
    ushort WPort,
    SystemTitle ServerSystemTitle,
    DateTimeOffset CommissionedAt,
    ObisCode SecuritySetup,
    ObisCode InvocationCounter,
    ushort ManagementClientSap,
    ushort PublicClientSap,
    string EkHex,
    string AkHex,
    string KekHex)
{
    /// <summary>Never prints the keys.</summary>
    public override string ToString() => $"FleetEntry {{ {Id} {Type} {Host}:{Port} wPort {WPort}, keys redacted }}";
}

/// <summary>
/// Reads a fleet file (format version 1, docs/fleet-file.md) without depending on the devices project: the head-end
/// and the simulator share the file format, not code. Every defect is one <see cref="FleetFileException"/> that names
/// the file and the JSON path.
/// </summary>
public static class FleetDocument
{
    /// <summary>Reads and checks the whole file.</summary>
    /// <exception cref="FleetFileException">Unreadable, not JSON, or a field missing or malformed.</exception>
    public static IReadOnlyList<FleetEntry> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new FleetFileException($"{path}: cannot read the fleet file: {ex.Message}", ex);
        }

        try
        {
            using JsonDocument doc = JsonDocument.Parse(bytes);
            return Parse(doc.RootElement, path);
        }
        catch (JsonException ex)
        {
            throw new FleetFileException($"{path}: not JSON: {ex.Message}", ex);
        }
    }

    private static List<FleetEntry> Parse(JsonElement root, string path)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FleetFileException($"{path}: $: a fleet file is a JSON object");
        }

        int version = Int(root, "formatVersion", path, "$");
        if (version != 1)
        {
            throw new FleetFileException($"{path}: $.formatVersion: format version {version} is not supported (this head-end reads 1)");
        }

        if (!root.TryGetProperty("devices", out JsonElement devices) || devices.ValueKind != JsonValueKind.Array)
        {
            throw new FleetFileException($"{path}: $.devices: missing or not an array");
        }

        var entries = new List<FleetEntry>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        int i = 0;
        foreach (JsonElement d in devices.EnumerateArray())
        {
            string at = $"$.devices[{i++}]";
            string id = Str(d, "id", path, at);
            if (!ids.Add(id))
            {
                throw new FleetFileException($"{path}: {at}.id: device id '{id}' appears twice");
            }

            entries.Add(new FleetEntry(
                id,
                Str(d, "premisesId", path, at),
                Str(d, "type", path, at),
                Str(d, "host", path, at),
                Ranged(Int(d, "port", path, at), 0, 65535, "port", path, at),
                (ushort)Ranged(Int(d, "wPort", path, at), 0, 65535, "wPort", path, at),
                Parsed(d, "serverSystemTitle", path, at, s => SystemTitle.TryParse(s, out SystemTitle t) ? t : (SystemTitle?)null),
                Parsed(d, "commissionedAt", path, at, s => DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTimeOffset t) ? t : (DateTimeOffset?)null),
                Obis(d, "securitySetup", "0-0:43.0.0.255", path, at),
                Obis(d, "invocationCounter", "0-0:43.1.0.255", path, at),
                (ushort)Ranged(OptionalInt(d, "managementClientSap", 1, path, at), 1, 0x7F, "managementClientSap", path, at),
                (ushort)Ranged(OptionalInt(d, "publicClientSap", 16, path, at), 1, 0x7F, "publicClientSap", path, at),
                Key(d, "ek", path, at),
                Key(d, "ak", path, at),
                Key(d, "kek", path, at)));
        }

        return entries;
    }

    private static string Str(JsonElement e, string name, string path, string at)
        => e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s
            ? s
            : throw new FleetFileException($"{path}: {at}.{name}: missing or not a non-empty string");

    private static int Int(JsonElement e, string name, string path, string at)
        => e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int n)
            ? n
            : throw new FleetFileException($"{path}: {at}.{name}: missing or not an integer");

    private static int OptionalInt(JsonElement e, string name, int fallback, string path, string at)
        => e.TryGetProperty(name, out _) ? Int(e, name, path, at) : fallback;

    private static int Ranged(int value, int min, int max, string name, string path, string at)
        => value >= min && value <= max ? value : throw new FleetFileException($"{path}: {at}.{name}: {value} is outside {min}..{max}");

    private static T Parsed<T>(JsonElement e, string name, string path, string at, Func<string, T?> parse)
        where T : struct
        => parse(Str(e, name, path, at)) ?? throw new FleetFileException($"{path}: {at}.{name}: not a valid value");

    private static ObisCode Obis(JsonElement e, string name, string fallback, string path, string at)
    {
        string text = e.TryGetProperty(name, out _) ? Str(e, name, path, at) : fallback;
        return ObisCode.TryParse(text, out ObisCode code) ? code : throw new FleetFileException($"{path}: {at}.{name}: '{text}' is not an OBIS code");
    }

    private static string Key(JsonElement e, string name, string path, string at)
    {
        string hex = Str(e, name, path, at);
        // The message never quotes the value: it is a key.
        return hex.Length == 32 && hex.All(char.IsAsciiHexDigit) ? hex : throw new FleetFileException($"{path}: {at}.{name}: a key is 32 hex digits");
    }
}

/// <summary>A fleet file that cannot be read; the message says which file and where in it.</summary>
public sealed class FleetFileException(string message, Exception? innerException = null) : Exception(message, innerException);
