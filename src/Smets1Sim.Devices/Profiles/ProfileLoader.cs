using System.Reflection;
using System.Text.Json;
using Smets1Sim.Cosem;
using Smets1Sim.Devices.Json;
using Smets1Sim.Devices.Runtime;
using Smets1Sim.Dlms.Acse;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Security;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Devices.Profiles;

/// <summary>
/// Loads and validates device profiles (device-profiles/*.json). Every problem is a
/// <see cref="ConfigurationException"/> naming the file, the JSON path and what is wrong.
/// </summary>
public static class ProfileLoader
{
    /// <summary>The device types shipped with the simulator, in premises order.</summary>
    public static IReadOnlyList<string> ShippedTypes { get; } = ["chf", "esme", "gpf", "ppmid"];

    private static readonly Dictionary<string, AuthenticationMechanism> Mechanisms = new(StringComparer.Ordinal)
    {
        ["none"] = AuthenticationMechanism.None, ["lls"] = AuthenticationMechanism.Lls, ["hls-gmac"] = AuthenticationMechanism.HlsGmac,
    };

    private static readonly Dictionary<string, bool> Contexts = new(StringComparer.Ordinal) { ["ln"] = false, ["ln-ciphered"] = true };

    private static readonly Dictionary<string, SecurityPolicy> PolicyFlags = new(StringComparer.Ordinal)
    {
        ["authenticated-request"] = SecurityPolicy.AuthenticatedRequest, ["encrypted-request"] = SecurityPolicy.EncryptedRequest,
        ["authenticated-response"] = SecurityPolicy.AuthenticatedResponse, ["encrypted-response"] = SecurityPolicy.EncryptedResponse,
    };

    private static readonly Dictionary<string, DefaultAccess> Defaults = new(StringComparer.Ordinal)
    {
        ["none"] = DefaultAccess.None, ["read"] = DefaultAccess.Read, ["read-write"] = DefaultAccess.ReadWrite,
    };

    private static readonly Dictionary<string, AttributeAccess> Modes = new(StringComparer.Ordinal)
    {
        ["none"] = AttributeAccess.NoAccess, ["read"] = AttributeAccess.Read, ["write"] = AttributeAccess.Write, ["read-write"] = AttributeAccess.ReadWrite,
    };

    private static readonly Dictionary<string, KeyActivation> Activations = new(StringComparer.Ordinal)
    {
        ["next-association"] = KeyActivation.NextAssociation, ["immediate"] = KeyActivation.Immediate,
    };

    internal static readonly Dictionary<string, FaultPoint?> DropPoints = new(StringComparer.Ordinal)
    {
        ["after-aarq"] = FaultPoint.AfterAarq, ["after-key-transfer-received"] = FaultPoint.AfterKeyTransferReceived,
        ["after-key-transfer-persisted"] = FaultPoint.AfterKeyTransferPersisted, ["before-response"] = FaultPoint.BeforeResponse,
    };

    /// <summary>Loads one profile file.</summary>
    public static DeviceProfile LoadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException(path, "$", $"cannot read: {ex.Message}");
        }

        return Parse(text, path);
    }

    /// <summary>Loads every *.json profile of a directory (the schema file excepted), keyed by type.</summary>
    public static IReadOnlyDictionary<string, DeviceProfile> LoadDirectory(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new ConfigurationException(directory, "$", "profile directory does not exist");
        }

        var profiles = new Dictionary<string, DeviceProfile>(StringComparer.Ordinal);
        foreach (string file in Directory.GetFiles(directory, "*.json").Where(f => !f.EndsWith(".schema.json", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            DeviceProfile profile = LoadFile(file);
            if (!profiles.TryAdd(profile.Type, profile))
            {
                throw new ConfigurationException(file, "$.type", $"type \"{profile.Type}\" is also defined by {profiles[profile.Type].Source}");
            }
        }

        return profiles;
    }

    /// <summary>The shipped profile of a device type, embedded in this assembly.</summary>
    public static DeviceProfile LoadEmbedded(string type)
    {
        string name = $"device-profiles/{type}.json";
        using Stream? stream = typeof(ProfileLoader).Assembly.GetManifestResourceStream(name)
            ?? throw new ConfigurationException($"embedded:{type}", "$", $"no shipped profile for device type \"{type}\" (shipped: {string.Join(", ", ShippedTypes)})");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), $"embedded:{type}");
    }

    /// <summary>Every shipped profile, keyed by type.</summary>
    public static IReadOnlyDictionary<string, DeviceProfile> LoadAllEmbedded() => ShippedTypes.ToDictionary(t => t, LoadEmbedded);

    /// <summary>Parses and validates profile text; <paramref name="file"/> names it in errors.</summary>
    public static DeviceProfile Parse(string text, string file)
    {
        using JsonDocument document = JsonObjectReader.Parse(text, file);
        try
        {
            return Read(document.RootElement) with { Source = file };
        }
        catch (JsonPathException ex)
        {
            throw new ConfigurationException(file, ex.Path, ex.Problem);
        }
    }

    private static DeviceProfile Read(JsonElement root)
    {
        var r = new JsonObjectReader(root, "$", "type", "description", "wPort", "logicalDeviceName", "keyActivation", "associations", "objects", "faults");
        string type = r.String("type");
        if (type.Length == 0 || !type.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
        {
            throw new JsonPathException(r.At("type"), "expected lower-case letters, digits and '-'");
        }

        string pattern = r.String("logicalDeviceName");
        if (pattern.Replace("{manufacturer}", "MMM", StringComparison.Ordinal).Replace("{type}", "T", StringComparison.Ordinal).Contains('{', StringComparison.Ordinal)
            && !System.Text.RegularExpressions.Regex.IsMatch(pattern, @"\{serial(:D\d{1,2})?\}"))
        {
            throw new JsonPathException(r.At("logicalDeviceName"), "placeholders are {manufacturer}, {type} and {serial} or {serial:Dn}");
        }

        var associations = new List<AssociationProfile>();
        foreach ((JsonElement item, string path) in r.Array("associations"))
        {
            AssociationProfile a = ReadAssociation(item, path);
            if (associations.Any(x => x.Name == a.Name))
            {
                throw new JsonPathException($"{path}.name", $"association \"{a.Name}\" is defined twice");
            }

            if (associations.Any(x => x.ClientSap == a.ClientSap))
            {
                throw new JsonPathException($"{path}.clientSap", $"client SAP {a.ClientSap} is used twice");
            }

            associations.Add(a);
        }

        if (associations.Count == 0)
        {
            throw new JsonPathException(r.At("associations"), "at least one association is required");
        }

        var objects = new List<ObjectProfile>();
        foreach ((JsonElement item, string path) in r.Array("objects"))
        {
            ObjectProfile o = ReadObject(item, path, associations);
            if (objects.Any(x => x.LogicalName == o.LogicalName))
            {
                throw new JsonPathException($"{path}.obis", $"{o.LogicalName} is defined twice");
            }

            objects.Add(o);
        }

        for (int i = 0; i < associations.Count; i++)
        {
            AssociationProfile a = associations[i];
            foreach ((ObisCode? obis, string key, ushort classId) in new[] { (a.SecuritySetup, "securitySetup", (ushort)64), (a.InvocationCounter, "invocationCounter", (ushort)1) })
            {
                if (obis is ObisCode ln && !objects.Any(o => o.LogicalName == ln && o.ClassId == classId))
                {
                    throw new JsonPathException($"$.associations[{i}].{key}", $"{ln} is not an object of class {classId} in this profile");
                }
            }
        }

        return new DeviceProfile
        {
            Type = type,
            Description = r.OptionalString("description") ?? string.Empty,
            WPort = (ushort)r.Integer("wPort", 1, 0x7FFF),
            LogicalDeviceNamePattern = pattern,
            KeyActivation = r.Enum("keyActivation", Activations, KeyActivation.NextAssociation),
            Associations = associations,
            Objects = objects,
            Faults = r.TryGet("faults", out JsonElement faults) ? ReadFaults(faults, r.At("faults")) : null,
        };
    }

    private static AssociationProfile ReadAssociation(JsonElement element, string path)
    {
        var r = new JsonObjectReader(element, path, "name", "clientSap", "mechanism", "applicationContext", "securityPolicy", "securitySetup", "invocationCounter", "maxPduSize", "defaultAccess", "llsSecret");
        AuthenticationMechanism mechanism = r.Enum("mechanism", Mechanisms, AuthenticationMechanism.None);
        bool ciphered = r.Enum("applicationContext", Contexts, false);
        SecurityPolicy policy = SecurityPolicy.None;
        foreach ((JsonElement flag, string flagPath) in r.Array("securityPolicy", required: false))
        {
            string name = JsonObjectReader.AsString(flag, flagPath);
            policy |= PolicyFlags.TryGetValue(name, out SecurityPolicy f) ? f : throw new JsonPathException(flagPath, $"\"{name}\" is not one of {string.Join(", ", PolicyFlags.Keys)}");
        }

        ObisCode? securitySetup = Obis(r, "securitySetup");
        if (ciphered && securitySetup is null)
        {
            throw new JsonPathException(r.At("securitySetup"), "a ciphered association needs its security setup object");
        }

        if (!ciphered && (policy != SecurityPolicy.None || mechanism == AuthenticationMechanism.HlsGmac))
        {
            throw new JsonPathException(r.At("applicationContext"), "HLS-GMAC and a security policy need \"ln-ciphered\"");
        }

        string? secret = r.OptionalString("llsSecret");
        if (mechanism == AuthenticationMechanism.Lls && string.IsNullOrEmpty(secret))
        {
            throw new JsonPathException(r.At("llsSecret"), "LLS needs a secret");
        }

        return new AssociationProfile
        {
            Name = r.String("name"),
            ClientSap = (ushort)r.Integer("clientSap", 1, 0x7F),
            Mechanism = mechanism,
            Ciphered = ciphered,
            SecurityPolicy = policy,
            SecuritySetup = securitySetup,
            InvocationCounter = Obis(r, "invocationCounter"),
            MaxPduSize = (ushort)(r.OptionalInteger("maxPduSize", 64, 65535) ?? 1024),
            DefaultAccess = r.Enum("defaultAccess", Defaults, DefaultAccess.None),
            LlsSecret = secret,
        };
    }

    private static ObjectProfile ReadObject(JsonElement element, string path, List<AssociationProfile> associations)
    {
        var r = new JsonObjectReader(element, path, "obis", "class", "name", "attributes", "access", "live");
        ObisCode ln = Obis(r, "obis") ?? throw new JsonPathException(r.At("obis"), "is required");
        ushort classId = (ushort)r.Integer("class", 0, ushort.MaxValue);
        if (!CosemClassCatalog.TryGet(classId, out CosemClassInfo info))
        {
            throw new JsonPathException(r.At("class"), $"class {classId} is not supported (supported: {string.Join(", ", CosemClassCatalog.All.Select(c => c.ClassId))})");
        }

        var attributes = new Dictionary<int, DlmsValue>();
        foreach ((string key, JsonElement value, string attributePath) in r.Map("attributes"))
        {
            int id = AttributeId(key, attributePath, 2, info.AttributeCount, info);
            attributes[id] = DlmsValueJson.Read(value, attributePath);
        }

        var access = new Dictionary<string, ObjectAccessProfile>(StringComparer.Ordinal);
        foreach ((string name, JsonElement value, string accessPath) in r.Map("access"))
        {
            if (!associations.Any(a => a.Name == name))
            {
                throw new JsonPathException(accessPath, $"no association named \"{name}\" (associations: {string.Join(", ", associations.Select(a => a.Name))})");
            }

            var ar = new JsonObjectReader(value, accessPath, "attributes", "methods", "hidden");
            var attributeModes = new Dictionary<int, AttributeAccess>();
            foreach ((string key, JsonElement mode, string modePath) in ar.Map("attributes"))
            {
                attributeModes[AttributeId(key, modePath, 1, info.AttributeCount, info)] = Modes.TryGetValue(JsonObjectReader.AsString(mode, modePath), out AttributeAccess m)
                    ? m : throw new JsonPathException(modePath, $"expected one of {string.Join(", ", Modes.Keys)}");
            }

            var methods = new Dictionary<int, bool>();
            foreach ((string key, JsonElement allowed, string methodPath) in ar.Map("methods"))
            {
                if (!int.TryParse(key, out int id) || id < 1 || id > info.MethodCount)
                {
                    throw new JsonPathException(methodPath, $"{info.Name} (class {classId}) has methods 1..{info.MethodCount}");
                }

                methods[id] = allowed.ValueKind is JsonValueKind.True or JsonValueKind.False ? allowed.GetBoolean() : throw new JsonPathException(methodPath, "expected true or false");
            }

            access[name] = new ObjectAccessProfile(attributeModes, methods, ar.Boolean("hidden", false));
        }

        double rate = 0;
        if (r.TryGet("live", out JsonElement live))
        {
            var lr = new JsonObjectReader(live, r.At("live"), "ratePerHour");
            if (classId is not (3 or 4))
            {
                throw new JsonPathException(r.At("live"), "only registers (class 3 or 4) have a live value");
            }

            rate = lr.Number("ratePerHour", 0);
        }

        try
        {
            // Build once to let the class check its own values (types, computed attributes).
            _ = Cosem.Classes.CosemObjectFactory.Create(classId, ln, attributes);
        }
        catch (Cosem.Classes.CosemConfigurationException ex)
        {
            throw new JsonPathException(r.At("attributes"), ex.Message);
        }

        return new ObjectProfile { LogicalName = ln, ClassId = classId, Name = r.OptionalString("name"), Attributes = attributes, Access = access, LiveRatePerHour = rate };
    }

    private static int AttributeId(string key, string path, int min, int max, CosemClassInfo info)
        => int.TryParse(key, out int id) && id >= min && id <= max ? id : throw new JsonPathException(path, $"{info.Name} (class {info.ClassId}) has attributes {min}..{max}");

    private static ObisCode? Obis(JsonObjectReader r, string name)
    {
        string? text = r.OptionalString(name);
        if (text is null)
        {
            return null;
        }

        return ObisCode.TryParse(text, out ObisCode code) ? code : throw new JsonPathException(r.At(name), $"\"{text}\" is not an OBIS code like 0-0:43.0.0.255");
    }

    internal static FaultOptions ReadFaults(JsonElement element, string path)
    {
        var r = new JsonObjectReader(element, path, "dropConnectionAt", "delayResponsesMs", "refuseKeyTransfer", "powerLossBeforePersist", "onlyOnce", "acceptWeakKeys");
        return new FaultOptions
        {
            DropConnectionAt = r.Enum<FaultPoint?>("dropConnectionAt", DropPoints, null),
            DelayResponsesMs = (int)(r.OptionalInteger("delayResponsesMs", 0, 600_000) ?? 0),
            RefuseKeyTransfer = r.Boolean("refuseKeyTransfer", false),
            PowerLossBeforePersist = r.Boolean("powerLossBeforePersist", false),
            OnlyOnce = r.Boolean("onlyOnce", true),
            AcceptWeakKeys = r.Boolean("acceptWeakKeys", false),
        };
    }

    internal static Assembly Assembly => typeof(ProfileLoader).Assembly;
}
