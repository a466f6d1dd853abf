using Smets1Sim.Dlms.Security;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.HeadEnd.Store;

/// <summary>A device the head-end manages: where it is, who it is, where its keys stand.</summary>
public sealed record DeviceRecord(
    string Id,
    string PremisesId,
    string Type,
    string Host,
    int Port,
    ushort WPort,
    SystemTitle ClientSystemTitle,
    SystemTitle ServerSystemTitle,
    DateTimeOffset CommissionedAt,
    ObisCode SecuritySetup,
    ObisCode InvocationCounterObject,
    ushort ManagementClientSap,
    ushort PublicClientSap,
    long KeyGeneration,
    DateTimeOffset? LastRotationAt,
    string? LastRotationOutcome);

/// <summary>What the store knows about one key, without the key.</summary>
public sealed record StoredKeyInfo(KeyKind Kind, long Generation, KeyState State, DateTimeOffset ChangedAt);

/// <summary>One line of the append-only audit log. Never holds a key.</summary>
public sealed record AuditEntry(long Sequence, DateTimeOffset At, string? DeviceId, string Operation, string Step, string Result, string? Detail);

/// <summary>Which invocation counter a key set uses: the generations of its EK and AK (counters belong to those keys).</summary>
public readonly record struct CounterSet(long EncryptionGeneration, long AuthenticationGeneration)
{
    /// <inheritdoc />
    public override string ToString() => $"ek{EncryptionGeneration}/ak{AuthenticationGeneration}";
}

/// <summary>
/// Decrypted keys of one device to talk to it with: the active ones, or the active ones with pending replacements
/// laid over them. Owns its keys and zeroes them on dispose.
/// </summary>
public sealed class DeviceKeys : IDisposable
{
    private readonly Dictionary<KeyKind, (SecretKey Key, long Generation)> _keys;

    internal DeviceKeys(Dictionary<KeyKind, (SecretKey Key, long Generation)> keys)
    {
        _keys = keys;
        foreach (KeyKind required in (KeyKind[])[KeyKind.Encryption, KeyKind.Authentication, KeyKind.Master])
        {
            if (!keys.ContainsKey(required))
            {
                throw new HeadEndStoreException(StoreFailure.Corrupt, $"the store holds no active {required.Label()}");
            }
        }
    }

    /// <summary>EK.</summary>
    public SecretKey Encryption => _keys[KeyKind.Encryption].Key;

    /// <summary>AK.</summary>
    public SecretKey Authentication => _keys[KeyKind.Authentication].Key;

    /// <summary>KEK.</summary>
    public SecretKey Master => _keys[KeyKind.Master].Key;

    /// <summary>The broadcast key, when one was ever set.</summary>
    public SecretKey? Broadcast => _keys.TryGetValue(KeyKind.Broadcast, out (SecretKey Key, long Generation) b) ? b.Key : null;

    /// <summary>The invocation counter this EK/AK pair uses.</summary>
    public CounterSet Counters => new(_keys[KeyKind.Encryption].Generation, _keys[KeyKind.Authentication].Generation);

    /// <summary>The generation of the key of <paramref name="kind"/>, or null.</summary>
    public long? GenerationOf(KeyKind kind) => _keys.TryGetValue(kind, out (SecretKey Key, long Generation) k) ? k.Generation : null;

    /// <summary>The key of <paramref name="kind"/>, or null.</summary>
    public SecretKey? Get(KeyKind kind) => _keys.TryGetValue(kind, out (SecretKey Key, long Generation) k) ? k.Key : null;

    /// <inheritdoc />
    public void Dispose()
    {
        foreach ((SecretKey key, _) in _keys.Values)
        {
            key.Dispose();
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"DeviceKeys({string.Join(", ", _keys.Select(k => $"{k.Key.Label()}#{k.Value.Generation}"))}; redacted)";
}

/// <summary>A rotation recorded as pending: its generation, which keys it replaces and the new keys.</summary>
public sealed class PendingRotation : IDisposable
{
    internal PendingRotation(string deviceId, long generation, DateTimeOffset recordedAt, Dictionary<KeyKind, SecretKey> newKeys)
    {
        DeviceId = deviceId;
        Generation = generation;
        RecordedAt = recordedAt;
        NewKeys = newKeys;
    }

    /// <summary>The device.</summary>
    public string DeviceId { get; }

    /// <summary>The generation the new keys are stored under.</summary>
    public long Generation { get; }

    /// <summary>When the pending keys were stored.</summary>
    public DateTimeOffset RecordedAt { get; }

    /// <summary>The new keys by kind.</summary>
    public IReadOnlyDictionary<KeyKind, SecretKey> NewKeys { get; }

    /// <summary>Which kinds this rotation replaces.</summary>
    public IReadOnlyList<KeyKind> Kinds => [.. NewKeys.Keys.Order()];

    /// <summary>True when the EK or AK changes, i.e. an association tells old keys from new ones.</summary>
    public bool ChangesCipherKeys => NewKeys.ContainsKey(KeyKind.Encryption) || NewKeys.ContainsKey(KeyKind.Authentication);

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (SecretKey key in NewKeys.Values)
        {
            key.Dispose();
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"PendingRotation({DeviceId}, generation {Generation}, {KeyNames.Join(NewKeys.Keys)}; redacted)";
}

/// <summary>The answer of <see cref="HeadEndStore.BeginRotation"/>.</summary>
public sealed record RotationStart(bool LeaseAcquired, string? LeaseHolder, DateTimeOffset? LeaseExpires, PendingRotation? Pending, bool PendingIsNew, uint? ActiveCounterStart);

/// <summary>What an import did.</summary>
public sealed record ImportReport(
    IReadOnlyList<string> Added,
    IReadOnlyList<string> AddressesUpdated,
    IReadOnlyList<string> Unchanged,
    IReadOnlyList<string> KeysKeptBecauseRotated,
    IReadOnlyList<string> MissingFromFile);

/// <summary>One device's line of <c>headend status</c>.</summary>
public sealed record DeviceStatus(DeviceRecord Device, IReadOnlyList<StoredKeyInfo> Keys, long? PendingGeneration, string? LeaseHolder, DateTimeOffset? LeaseExpires);
