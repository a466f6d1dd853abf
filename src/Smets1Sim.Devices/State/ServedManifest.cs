using System.Text.Json;
using Smets1Sim.Devices.Json;
using Smets1Sim.Devices.Storage;

namespace Smets1Sim.Devices.State;

/// <summary>What the manifest knows about one device.</summary>
/// <param name="Recommissions">How many times the device was deliberately started afresh.</param>
/// <param name="RecommissionPending">A re-commission was asked for and the device has not started since.</param>
public sealed record ServedDevice(int Recommissions, bool RecommissionPending);

/// <summary>
/// The durable list of every device a state directory has ever served (<c>DIR/served.manifest</c>, JSON, 0600).
/// A device in it whose state file is gone must not silently come back with its commissioning keys and server
/// invocation counters from 0: that would send (key, IV) pairs it had sent before. Device files all end in
/// <c>.json</c>, so no device id can collide with the manifest's name.
/// </summary>
public sealed class ServedManifest
{
    /// <summary>The most re-commissions of one device under the same commissioning keys (see <see cref="OutgoingFloor"/>).</summary>
    public const int MaxRecommissions = 20;

    private readonly Dictionary<string, ServedDevice> _devices;

    private ServedManifest(string path, Dictionary<string, ServedDevice> devices)
    {
        Path = path;
        _devices = devices;
    }

    /// <summary>The manifest file.</summary>
    public string Path { get; }

    /// <summary>Devices by id.</summary>
    public IReadOnlyDictionary<string, ServedDevice> Devices => _devices;

    /// <summary>Reads the manifest of <paramref name="directory"/> (empty when it has none yet).</summary>
    /// <exception cref="ConfigurationException">The manifest does not parse.</exception>
    public static ServedManifest Load(string directory)
    {
        string path = System.IO.Path.Combine(directory, "served.manifest");
        AtomicFile.CleanUpTemporaries(path);
        var devices = new Dictionary<string, ServedDevice>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return new ServedManifest(path, devices);
        }

        using JsonDocument document = JsonObjectReader.Parse(File.ReadAllText(path), path);
        try
        {
            var root = new JsonObjectReader(document.RootElement, "$", "formatVersion", "devices");
            _ = root.Integer("formatVersion", 1, 1);
            foreach ((string id, JsonElement value, string at) in root.Map("devices"))
            {
                var r = new JsonObjectReader(value, at, "recommissions", "recommissionPending");
                devices[id] = new ServedDevice((int)r.Integer("recommissions", 0, MaxRecommissions), r.Boolean("recommissionPending", false));
            }
        }
        catch (JsonPathException ex)
        {
            throw new ConfigurationException(path, ex.Path, ex.Problem);
        }

        return new ServedManifest(path, devices);
    }

    /// <summary>
    /// The outgoing invocation counter a re-commissioned device starts from: 2^32 - 2^(32 - n) after the n-th
    /// re-commission (2^31, then 3 * 2^30, ...). What the lost state had reserved is unknown, so each new life
    /// starts above half of what was left to the one before. The assumption, stated: under one set of
    /// commissioning keys a device sends fewer than half the remaining counters before its keys are rotated or its
    /// state is lost again; a device answering a request every second would need 68 years for the first half.
    /// Keys rotated after a re-commission are new keys, so their IVs cannot repeat old ones.
    /// </summary>
    public static uint OutgoingFloor(int recommissions)
        => recommissions <= 0 ? 0 : (uint)((1UL << 32) - (1UL << (32 - Math.Min(recommissions, MaxRecommissions))));

    /// <summary>Adds <paramref name="deviceIds"/> and clears their pending re-commissions; one durable write when anything changed.</summary>
    public void MarkServed(IEnumerable<string> deviceIds)
    {
        ArgumentNullException.ThrowIfNull(deviceIds);
        bool changed = false;
        foreach (string id in deviceIds)
        {
            if (!_devices.TryGetValue(id, out ServedDevice? known))
            {
                _devices[id] = new ServedDevice(0, false);
                changed = true;
            }
            else if (known.RecommissionPending)
            {
                _devices[id] = known with { RecommissionPending = false };
                changed = true;
            }
        }

        if (changed)
        {
            Save();
        }
    }

    /// <summary>Marks a served device to start afresh at its next start; returns its new re-commission count.</summary>
    /// <exception cref="InvalidOperationException">The device was never served here, or has been re-commissioned too often.</exception>
    public int Recommission(string deviceId)
    {
        if (!_devices.TryGetValue(deviceId, out ServedDevice? known))
        {
            throw new InvalidOperationException($"{Path}: device {deviceId} was never served from this state directory; it starts from its commissioning state on its own");
        }

        if (known.RecommissionPending)
        {
            return known.Recommissions;
        }

        if (known.Recommissions >= MaxRecommissions)
        {
            throw new InvalidOperationException($"{Path}: device {deviceId} was re-commissioned {MaxRecommissions} times under the same commissioning keys; give it new keys and a new system title in the fleet file");
        }

        _devices[deviceId] = new ServedDevice(known.Recommissions + 1, true);
        Save();
        return known.Recommissions + 1;
    }

    private void Save()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, JsonFiles.Indented))
        {
            w.WriteStartObject();
            w.WriteNumber("formatVersion", 1);
            w.WriteStartObject("devices");
            foreach ((string id, ServedDevice device) in _devices.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                w.WriteStartObject(id);
                w.WriteNumber("recommissions", device.Recommissions);
                if (device.RecommissionPending)
                {
                    w.WriteBoolean("recommissionPending", true);
                }

                w.WriteEndObject();
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        AtomicFile.Write(Path, buffer.ToArray());
    }
}
