using System.Globalization;
using System.Text.Json;
using Smets1Sim.Devices.Json;
using Smets1Sim.Devices.Profiles;
using Smets1Sim.Devices.Storage;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Devices.Fleet;

/// <summary>Reads and writes fleet files (docs/fleet-file.md), validating every field with file and JSON path.</summary>
public static class FleetFileStore
{
    /// <summary>Writes the fleet atomically with owner-only permissions (it holds keys).</summary>
    public static void Write(string path, FleetFile fleet)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        AtomicFile.Write(path, Serialize(fleet));
    }

    /// <summary>The JSON text of a fleet.</summary>
    public static byte[] Serialize(FleetFile fleet)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, JsonFiles.Indented))
        {
            w.WriteStartObject();
            w.WriteNumber("formatVersion", fleet.FormatVersion);
            w.WriteString("createdAt", fleet.CreatedAt);
            w.WriteString("mode", fleet.Mode);
            w.WriteStartArray("devices");
            foreach (FleetDevice d in fleet.Devices)
            {
                w.WriteStartObject();
                w.WriteString("id", d.Id);
                w.WriteString("premisesId", d.PremisesId);
                w.WriteString("type", d.Type);
                w.WriteString("host", d.Host);
                w.WriteNumber("port", d.Port);
                w.WriteNumber("wPort", d.WPort);
                w.WriteString("logicalDeviceName", d.LogicalDeviceName);
                w.WriteString("serverSystemTitle", d.ServerSystemTitle);
                w.WriteString("ek", d.Ek);
                w.WriteString("ak", d.Ak);
                w.WriteString("kek", d.Kek);
                w.WriteString("commissionedAt", d.CommissionedAt);
                w.WriteString("securitySetup", d.SecuritySetup);
                w.WriteString("invocationCounter", d.InvocationCounter);
                w.WriteNumber("managementClientSap", d.ManagementClientSap);
                w.WriteNumber("publicClientSap", d.PublicClientSap);
                if (d.Faults is { } f)
                {
                    w.WriteStartObject("faults");
                    if (f.DropConnectionAt is { } point)
                    {
                        w.WriteString("dropConnectionAt", ProfileLoader.DropPoints.Single(p => p.Value == point).Key);
                    }

                    w.WriteNumber("delayResponsesMs", f.DelayResponsesMs);
                    w.WriteBoolean("refuseKeyTransfer", f.RefuseKeyTransfer);
                    w.WriteBoolean("powerLossBeforePersist", f.PowerLossBeforePersist);
                    w.WriteBoolean("onlyOnce", f.OnlyOnce);
                    w.WriteEndObject();
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>Reads and validates a fleet file; any problem is a one-line <see cref="ConfigurationException"/>.</summary>
    public static FleetFile Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException(path, "$", $"cannot read the fleet file: {ex.Message}");
        }

        return Parse(text, path);
    }

    /// <summary>Parses and validates fleet text; <paramref name="file"/> names it in errors.</summary>
    public static FleetFile Parse(string text, string file)
    {
        using JsonDocument document = JsonObjectReader.Parse(text, file);
        try
        {
            return ReadFleet(document.RootElement);
        }
        catch (JsonPathException ex)
        {
            throw new ConfigurationException(file, ex.Path, ex.Problem);
        }
    }

    private static FleetFile ReadFleet(JsonElement root)
    {
        var r = new JsonObjectReader(root, "$", "formatVersion", "createdAt", "mode", "devices");
        if (r.Integer("formatVersion", 0, int.MaxValue) != 1)
        {
            throw new JsonPathException(r.At("formatVersion"), "only format version 1 is known");
        }

        string mode = r.OptionalString("mode") ?? "hub";
        if (mode is not ("hub" or "per-device"))
        {
            throw new JsonPathException(r.At("mode"), "expected \"hub\" or \"per-device\"");
        }

        var devices = new List<FleetDevice>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var addresses = new Dictionary<(string, int, int), string>();
        var titles = new HashSet<string>(StringComparer.Ordinal);
        foreach ((JsonElement item, string path) in r.Array("devices"))
        {
            FleetDevice d = ReadDevice(item, path);
            if (!ids.Add(d.Id))
            {
                throw new JsonPathException($"{path}.id", $"device id \"{d.Id}\" is used twice");
            }

            if (d.Port != 0 && !addresses.TryAdd((d.Host, d.Port, d.WPort), d.Id))
            {
                throw new JsonPathException($"{path}.wPort", $"{d.Host}:{d.Port} wPort {d.WPort} is also used by {addresses[(d.Host, d.Port, d.WPort)]}");
            }

            if (!titles.Add(d.ServerSystemTitle))
            {
                throw new JsonPathException($"{path}.serverSystemTitle", $"system title {d.ServerSystemTitle} is used twice");
            }

            devices.Add(d);
        }

        return new FleetFile
        {
            CreatedAt = r.TryGet("createdAt", out JsonElement created) ? Time(created, r.At("createdAt")) : default,
            Mode = mode,
            Devices = devices,
        };
    }

    private static FleetDevice ReadDevice(JsonElement element, string path)
    {
        var r = new JsonObjectReader(element, path, "id", "premisesId", "type", "host", "port", "wPort", "logicalDeviceName", "serverSystemTitle",
            "ek", "ak", "kek", "commissionedAt", "securitySetup", "invocationCounter", "managementClientSap", "publicClientSap", "faults");
        string title = r.String("serverSystemTitle");
        if (title.Length != 16 || !title.All(char.IsAsciiHexDigit))
        {
            throw new JsonPathException(r.At("serverSystemTitle"), "expected 16 hex digits");
        }

        foreach (string obis in new[] { "securitySetup", "invocationCounter" })
        {
            if (r.OptionalString(obis) is string text && !ObisCode.TryParse(text, out _))
            {
                throw new JsonPathException(r.At(obis), $"\"{text}\" is not an OBIS code like 0-0:43.0.0.255");
            }
        }

        string id = r.String("id");
        if (id.Length == 0 || id.Any(c => char.IsWhiteSpace(c) || c is '/' or '\\'))
        {
            throw new JsonPathException(r.At("id"), "expected a non-empty id without spaces or slashes");
        }

        return new FleetDevice
        {
            Id = id,
            PremisesId = r.String("premisesId"),
            Type = r.String("type"),
            Host = r.String("host"),
            Port = (int)r.Integer("port", 0, 65535),
            WPort = (int)r.Integer("wPort", 1, 0x7FFF),
            LogicalDeviceName = r.String("logicalDeviceName"),
            ServerSystemTitle = title.ToUpperInvariant(),
            Ek = Key(r, "ek"),
            Ak = Key(r, "ak"),
            Kek = Key(r, "kek"),
            CommissionedAt = Time(r.Required("commissionedAt"), r.At("commissionedAt")),
            SecuritySetup = r.OptionalString("securitySetup") ?? "0-0:43.0.0.255",
            InvocationCounter = r.OptionalString("invocationCounter") ?? "0-0:43.1.0.255",
            ManagementClientSap = (int)(r.OptionalInteger("managementClientSap", 1, 127) ?? 1),
            PublicClientSap = (int)(r.OptionalInteger("publicClientSap", 1, 127) ?? 16),
            Faults = r.TryGet("faults", out JsonElement faults) ? ProfileLoader.ReadFaults(faults, r.At("faults")) : null,
        };
    }

    private static string Key(JsonObjectReader r, string name)
    {
        string hex = r.String(name);
        return hex.Length == 32 && hex.All(char.IsAsciiHexDigit) ? hex.ToUpperInvariant() : throw new JsonPathException(r.At(name), "expected a 128-bit key as 32 hex digits");
    }

    private static DateTimeOffset Time(JsonElement v, string path)
        => DateTimeOffset.TryParse(JsonObjectReader.AsString(v, path), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset t)
            ? t : throw new JsonPathException(path, "expected an ISO 8601 time such as 2026-01-01T00:00:00Z");
}
