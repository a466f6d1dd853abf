using System.Globalization;
using System.Text.Json;
using Smets1Sim.Devices.Json;
using Smets1Sim.Devices.Runtime;
using Smets1Sim.Devices.Storage;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Security;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Devices.State;

/// <summary>Key material as stored (hex).</summary>
public sealed record StoredKeys(string Ek, string Ak, string Kek, string? Broadcast)
{
    /// <summary>The keys as a <see cref="KeySet"/> (the caller owns it).</summary>
    public KeySet ToKeySet() => new(SecretKey.FromHex(Ek), SecretKey.FromHex(Ak), SecretKey.FromHex(Kek), Broadcast is null ? null : SecretKey.FromHex(Broadcast));

    /// <inheritdoc />
    public override string ToString() => "StoredKeys(redacted)";
}

/// <summary>What a device stored about itself: keys, counters, policy, changed attributes.</summary>
public sealed record DeviceState
{
    /// <summary>Device id.</summary>
    public required string DeviceId { get; init; }

    /// <summary>Keys in force.</summary>
    public required StoredKeys Keys { get; init; }

    /// <summary>Keys accepted by key_transfer, in force from the next association.</summary>
    public StoredKeys? PendingKeys { get; init; }

    /// <summary>The outgoing IC reservation.</summary>
    public uint OutgoingInvocationCounterReserved { get; init; }

    /// <summary>Highest accepted IC per client SAP.</summary>
    public required IReadOnlyDictionary<ushort, uint> IncomingInvocationCounters { get; init; }

    /// <summary>Security policy.</summary>
    public byte SecurityPolicy { get; init; }

    /// <summary>Key generation.</summary>
    public long KeyGeneration { get; init; }

    /// <summary>Changed attribute values.</summary>
    public required IReadOnlyDictionary<ObisCode, IReadOnlyDictionary<int, DlmsValue>> Attributes { get; init; }

    /// <summary>When it was written.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>
/// One JSON file per device under a state directory (<c>&lt;id&gt;.json</c>, owner-only), replaced atomically and
/// durably on every save (<see cref="AtomicFile"/>). A file that does not parse stops the device with an error
/// naming it: falling back to older keys could silently lock a head-end out, so recovery is left to a person.
/// </summary>
public sealed class DeviceStateStore : IDeviceStatePersistence
{
    private readonly TimeProvider _time;
    private ServedManifest? _manifest;

    /// <summary>Creates a store over <paramref name="directory"/> (created if missing).</summary>
    public DeviceStateStore(string directory, TimeProvider? time = null)
    {
        Directory = Path.GetFullPath(directory);
        CreateOwnerOnly(Directory);
        _time = time ?? TimeProvider.System;
    }

    // The directory lists which devices exist and holds their keys: nobody but the owner may list or enter it.
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private static void CreateOwnerOnly(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(directory);
            return;
        }

        System.IO.Directory.CreateDirectory(directory, OwnerOnly);
        // An existing directory (made by an older version, or by hand) is tightened, never loosened. One that is not
        // ours to change (say /tmp) stays as it is: the state files in it are owner-only in any case.
        UnixFileMode mode = File.GetUnixFileMode(directory);
        if ((mode & ~OwnerOnly) != 0)
        {
            try
            {
                File.SetUnixFileMode(directory, mode & OwnerOnly);
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
            {
            }
        }
    }

    /// <summary>The state directory.</summary>
    public string Directory { get; }

    /// <summary>Every device this directory has served (read on first use).</summary>
    public ServedManifest Manifest => _manifest ??= ServedManifest.Load(Directory);

    /// <summary>The file of one device.</summary>
    public string PathOf(string deviceId) => Path.Combine(Directory, deviceId + ".json");

    /// <summary>Loads a device's state, or null when it has none yet (never served, or re-commissioned).</summary>
    /// <exception cref="ConfigurationException">The file does not parse, or a device served before lost it.</exception>
    public DeviceState? Load(string deviceId)
    {
        string file = PathOf(deviceId);
        AtomicFile.CleanUpTemporaries(file);
        if (!File.Exists(file))
        {
            if (Manifest.Devices.TryGetValue(deviceId, out ServedDevice? served) && !served.RecommissionPending)
            {
                // Starting again from commissioning keys and IC 0 would resend (key, IV) pairs: a person decides.
                throw new ConfigurationException(file, "$", $"device {deviceId} was served before but its state file is missing; restore it from a backup, or run 'smets1sim state recommission {deviceId} --state-dir {Directory}' to start it afresh with its commissioning keys");
            }

            return null;
        }

        using JsonDocument document = JsonObjectReader.Parse(File.ReadAllText(file), file);
        try
        {
            return Read(document.RootElement);
        }
        catch (Exception ex) when (ex is JsonPathException or FormatException or ArgumentException)
        {
            throw new ConfigurationException(file, ex is JsonPathException p ? p.Path : "$", ex is JsonPathException q ? q.Problem : ex.Message);
        }
    }

    /// <summary>
    /// Where the outgoing invocation counter of a device without state starts: above anything it may have sent
    /// when it is re-commissioned (<see cref="ServedManifest.OutgoingFloor"/>), else 0.
    /// </summary>
    public uint OutgoingFloorOf(string deviceId)
        => Manifest.Devices.TryGetValue(deviceId, out ServedDevice? served) && served.RecommissionPending
            ? ServedManifest.OutgoingFloor(served.Recommissions)
            : 0;

    /// <inheritdoc />
    public void Save(DeviceSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, JsonFiles.Indented))
        {
            w.WriteStartObject();
            w.WriteNumber("formatVersion", 1);
            w.WriteString("deviceId", snapshot.DeviceId);
            WriteKeys(w, "keys", snapshot.Keys);
            if (snapshot.PendingKeys is { } pending)
            {
                WriteKeys(w, "pendingKeys", pending);
            }

            w.WriteNumber("outgoingInvocationCounterReserved", snapshot.OutgoingInvocationCounterReserved);
            w.WriteStartObject("incomingInvocationCounters");
            foreach ((ushort sap, uint ic) in snapshot.IncomingInvocationCounters.OrderBy(p => p.Key))
            {
                w.WriteNumber(sap.ToString(CultureInfo.InvariantCulture), ic);
            }

            w.WriteEndObject();
            w.WriteNumber("securityPolicy", snapshot.SecurityPolicy);
            w.WriteNumber("keyGeneration", snapshot.KeyGeneration);
            w.WriteStartObject("attributes");
            foreach ((ObisCode obis, IReadOnlyDictionary<int, DlmsValue> values) in snapshot.Attributes.OrderBy(p => p.Key.ToString(), StringComparer.Ordinal))
            {
                w.WriteStartObject(obis.ToString());
                foreach ((int id, DlmsValue value) in values.OrderBy(p => p.Key))
                {
                    w.WritePropertyName(id.ToString(CultureInfo.InvariantCulture));
                    DlmsValueJson.Write(w, value);
                }

                w.WriteEndObject();
            }

            w.WriteEndObject();
            w.WriteString("updatedAt", _time.GetUtcNow());
            w.WriteEndObject();
        }

        AtomicFile.Write(PathOf(snapshot.DeviceId), buffer.ToArray());
    }

    private static void WriteKeys(Utf8JsonWriter w, string name, KeySet keys)
    {
        w.WriteStartObject(name);
        w.WriteString("ek", keys.Encryption.ExportHex());
        w.WriteString("ak", keys.Authentication.ExportHex());
        w.WriteString("kek", keys.Master.ExportHex());
        if (keys.Broadcast is { } broadcast)
        {
            w.WriteString("broadcast", broadcast.ExportHex());
        }

        w.WriteEndObject();
    }

    private static DeviceState Read(JsonElement root)
    {
        var r = new JsonObjectReader(root, "$", "formatVersion", "deviceId", "keys", "pendingKeys", "outgoingInvocationCounterReserved",
            "incomingInvocationCounters", "securityPolicy", "keyGeneration", "attributes", "updatedAt");
        var incoming = new Dictionary<ushort, uint>();
        foreach ((string sap, JsonElement value, string path) in r.Map("incomingInvocationCounters"))
        {
            incoming[ushort.TryParse(sap, CultureInfo.InvariantCulture, out ushort s) ? s : throw new JsonPathException(path, "expected a client SAP")] =
                (uint)JsonObjectReader.AsInteger(value, path, 0, uint.MaxValue);
        }

        var attributes = new Dictionary<ObisCode, IReadOnlyDictionary<int, DlmsValue>>();
        foreach ((string obis, JsonElement values, string path) in r.Map("attributes"))
        {
            var map = new Dictionary<int, DlmsValue>();
            foreach (JsonProperty p in values.EnumerateObject())
            {
                map[int.Parse(p.Name, CultureInfo.InvariantCulture)] = DlmsValueJson.Read(p.Value, $"{path}.{p.Name}");
            }

            attributes[ObisCode.Parse(obis)] = map;
        }

        return new DeviceState
        {
            DeviceId = r.String("deviceId"),
            Keys = Keys(r.Required("keys"), r.At("keys")),
            PendingKeys = r.TryGet("pendingKeys", out JsonElement pending) ? Keys(pending, r.At("pendingKeys")) : null,
            OutgoingInvocationCounterReserved = (uint)r.Integer("outgoingInvocationCounterReserved", 0, uint.MaxValue),
            IncomingInvocationCounters = incoming,
            SecurityPolicy = (byte)r.Integer("securityPolicy", 0, 255),
            KeyGeneration = r.Integer("keyGeneration", 0, long.MaxValue),
            Attributes = attributes,
        };
    }

    private static StoredKeys Keys(JsonElement element, string path)
    {
        var r = new JsonObjectReader(element, path, "ek", "ak", "kek", "broadcast");
        string Hex(string name, bool required)
        {
            string? v = required ? r.String(name) : r.OptionalString(name);
            return v is null || (v.Length == 32 && v.All(char.IsAsciiHexDigit)) ? v! : throw new JsonPathException(r.At(name), "expected 32 hex digits");
        }

        return new StoredKeys(Hex("ek", true), Hex("ak", true), Hex("kek", true), Hex("broadcast", false));
    }
}
