using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Devices.Runtime;

/// <summary>
/// Everything about a device that must survive a restart. Holds copies of key bytes only for as long as it takes
/// to write them; <see cref="Dispose"/> zeroes them.
/// </summary>
public sealed class DeviceSnapshot : IDisposable
{
    /// <summary>Creates a snapshot; takes ownership of the key sets.</summary>
    public DeviceSnapshot(
        string deviceId,
        KeySet keys,
        KeySet? pendingKeys,
        uint outgoingInvocationCounterReserved,
        IReadOnlyDictionary<ushort, uint> incomingInvocationCounters,
        byte securityPolicy,
        long keyGeneration,
        IReadOnlyDictionary<ObisCode, IReadOnlyDictionary<int, DlmsValue>> attributes)
    {
        DeviceId = deviceId;
        Keys = keys;
        PendingKeys = pendingKeys;
        OutgoingInvocationCounterReserved = outgoingInvocationCounterReserved;
        IncomingInvocationCounters = incomingInvocationCounters;
        SecurityPolicy = securityPolicy;
        KeyGeneration = keyGeneration;
        Attributes = attributes;
    }

    /// <summary>Device id from the fleet file.</summary>
    public string DeviceId { get; }

    /// <summary>Keys in force.</summary>
    public KeySet Keys { get; }

    /// <summary>Keys accepted by key_transfer that take effect at the next association.</summary>
    public KeySet? PendingKeys { get; }

    /// <summary>The device never sends an IC at or above this value before storing a higher one.</summary>
    public uint OutgoingInvocationCounterReserved { get; }

    /// <summary>Highest IC accepted per client SAP under the keys in force.</summary>
    public IReadOnlyDictionary<ushort, uint> IncomingInvocationCounters { get; }

    /// <summary>Security policy (version 1 flags).</summary>
    public byte SecurityPolicy { get; }

    /// <summary>Incremented on each key change.</summary>
    public long KeyGeneration { get; }

    /// <summary>Attribute values that changed (OBIS → attribute id → value).</summary>
    public IReadOnlyDictionary<ObisCode, IReadOnlyDictionary<int, DlmsValue>> Attributes { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        Keys.Dispose();
        PendingKeys?.Dispose();
    }
}

/// <summary>Durable storage of device state: <see cref="Save"/> returns only once the snapshot is on disk.</summary>
public interface IDeviceStatePersistence
{
    /// <summary>Stores the snapshot crash-safely (all or nothing).</summary>
    void Save(DeviceSnapshot snapshot);
}

/// <summary>Keeps nothing: for tests and throwaway fleets.</summary>
public sealed class NoPersistence : IDeviceStatePersistence
{
    /// <summary>The shared instance.</summary>
    public static NoPersistence Instance { get; } = new();

    /// <inheritdoc />
    public void Save(DeviceSnapshot snapshot) => ArgumentNullException.ThrowIfNull(snapshot);
}
