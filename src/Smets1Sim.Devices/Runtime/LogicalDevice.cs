using System.Collections.Frozen;
using Smets1Sim.Cosem;
using Smets1Sim.Cosem.Classes;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Security;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Devices.Runtime;

/// <summary>Identity of a simulated logical device.</summary>
public sealed record DeviceIdentity(string Id, string Type, ushort WPort, string LogicalDeviceName, SystemTitle SystemTitle, DateTimeOffset CommissionedAt);

/// <summary>
/// One simulated logical device (CHF, ESME, GPF or PPMID): its COSEM objects, the associations it accepts,
/// its security state and its faults. Requests are served one at a time under <see cref="Gate"/>.
/// </summary>
public sealed class LogicalDevice : IDisposable
{
    private readonly IDeviceStatePersistence _persistence;
    private readonly DeviceEventLog _events;

    // While an event is recorded, attribute changes are only marked: the event decides when it is stored.
    private bool _recording;
    private bool _changedBehind;

    /// <summary>Creates the device. Takes ownership of <paramref name="keys"/>/<paramref name="pendingKeys"/>.</summary>
    public LogicalDevice(
        DeviceIdentity identity,
        IEnumerable<CosemObject> objects,
        IEnumerable<AssociationSettings> associations,
        KeySet keys,
        KeySet? pendingKeys,
        uint outgoingReserved,
        IReadOnlyDictionary<ushort, uint> incomingCounters,
        SecurityPolicy policy,
        long keyGeneration,
        KeyActivation activation,
        FaultPlan faults,
        IDeviceStatePersistence persistence,
        TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(objects);
        ArgumentNullException.ThrowIfNull(associations);
        Identity = identity;
        Time = time ?? TimeProvider.System;
        Faults = faults ?? FaultPlan.None;
        _persistence = persistence ?? NoPersistence.Instance;
        Associations = associations.ToFrozenDictionary(a => a.ClientSap);
        Security = new DeviceSecurity(identity.SystemTitle, keys, pendingKeys, outgoingReserved, incomingCounters, policy, keyGeneration, activation, Persist);
        var list = new List<CosemObject>(objects);
        foreach (AssociationSettings a in Associations.Values)
        {
            // The IC object of a secured association shows the highest IC accepted from that client (docs/dlms-wire.md 3):
            // a stored Data object of the profile at that name gives way to the live one.
            if (a.InvocationCounterObject is ObisCode ic)
            {
                list.RemoveAll(o => o.LogicalName == ic);
                list.Add(new InvocationCounterObject(ic, this, a.ClientSap));
            }
        }

        Objects = list.ToFrozenDictionary(o => o.LogicalName);
        foreach (CosemObject o in list)
        {
            o.AttributeChanged += (_, _) => OnAttributeChanged();
        }

        _events = new DeviceEventLog(Objects, Time);
    }

    private void OnAttributeChanged()
    {
        if (_recording)
        {
            _changedBehind = true;
        }
        else
        {
            Persist();
        }
    }

    /// <summary>Who the device is.</summary>
    public DeviceIdentity Identity { get; }

    /// <summary>The device clock.</summary>
    public TimeProvider Time { get; }

    /// <summary>Serialises all request handling for this device.</summary>
    public Lock Gate { get; } = new();

    /// <summary>The COSEM objects by logical name.</summary>
    public FrozenDictionary<ObisCode, CosemObject> Objects { get; }

    /// <summary>Accepted associations by client SAP.</summary>
    public FrozenDictionary<ushort, AssociationSettings> Associations { get; }

    /// <summary>Keys, counters and policy.</summary>
    public DeviceSecurity Security { get; }

    /// <summary>Injected faults.</summary>
    public FaultPlan Faults { get; }

    /// <summary>
    /// Writes an event to the event log 0-0:99.98.0.255 and the last event code 0-0:96.11.0.255, when the profile
    /// has them (<see cref="DeviceEventLog"/> decides how). A key or policy event is stored at once; an
    /// authentication failure is stored behind, by the next <see cref="FlushIfDirty"/> or durable write, because
    /// anyone can cause one and a durable write per attempt would hand the disk to an attacker.
    /// Call under <see cref="Gate"/>.
    /// </summary>
    public void RecordEvent(DeviceEvent code)
    {
        _recording = true;
        try
        {
            _events.Record(code);
        }
        finally
        {
            _recording = false;
        }

        if (code != DeviceEvent.AuthenticationFailed && _changedBehind)
        {
            Persist();
        }
    }

    /// <summary>Puts keys accepted by key_transfer in force and logs it.</summary>
    public void ActivatePendingKeys()
    {
        if (Security.Pending is not null)
        {
            Security.ActivatePending();
            RecordEvent(DeviceEvent.KeysActivated);
        }
    }

    /// <summary>Stores the device state durably (keys, counters, policy, changed attributes). Call under <see cref="Gate"/>.</summary>
    public void Persist()
    {
        (KeySet keys, KeySet? pending) = Security.CopyKeys();
        var attributes = new Dictionary<ObisCode, IReadOnlyDictionary<int, DlmsValue>>();
        foreach (CosemObject o in Objects.Values)
        {
            IReadOnlyDictionary<int, DlmsValue> state = o.ExportState();
            if (state.Count > 0)
            {
                attributes[o.LogicalName] = state;
            }
        }

        using var snapshot = new DeviceSnapshot(
            Identity.Id, keys, pending, Security.OutgoingReserved, Security.IncomingSnapshot(), (byte)Security.Policy,
            Security.KeyGeneration, attributes);
        _persistence.Save(snapshot);
        Security.MarkIncomingStored();
        _changedBehind = false;
    }

    /// <summary>True when something changed that is stored behind (client ICs, counted failures).</summary>
    public bool IsDirty => Security.IncomingDirty || _changedBehind;

    /// <summary>Stores the state when client ICs moved or failures were counted since the last store (periodic flush).</summary>
    public void FlushIfDirty()
    {
        lock (Gate)
        {
            if (IsDirty)
            {
                Persist();
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => Security.Dispose();

    /// <inheritdoc />
    public override string ToString() => $"{Identity.Type} {Identity.Id} (wPort {Identity.WPort}, {Identity.SystemTitle})";
}

/// <summary>
/// Event codes the simulated devices write to their event log (simulator-specific values, documented in
/// docs/fleet-file.md; not taken from a manufacturer's list).
/// </summary>
public enum DeviceEvent : ushort
{
    /// <summary>key_transfer accepted and stored.</summary>
    KeysAccepted = 201,
    /// <summary>Accepted keys put in force.</summary>
    KeysActivated = 202,
    /// <summary>Security policy strengthened by security_activate.</summary>
    SecurityPolicyChanged = 203,
    /// <summary>A protected APDU or HLS response failed authentication, or replayed an invocation counter.</summary>
    AuthenticationFailed = 204,
    /// <summary>key_transfer refused a weak key (all bytes equal) or one equal to another of the device's keys.</summary>
    WeakKeyRefused = 205,
}

/// <summary>
/// Data object 0-0:43.1.e.255 (class 1): double-long-unsigned holding the highest IC accepted from the client of
/// the associated security setup. Mainstream clients read it over the public client and continue from value + 1.
/// </summary>
internal sealed class InvocationCounterObject(ObisCode logicalName, LogicalDevice device, ushort clientSap) : CosemObject(logicalName)
{
    public override ushort ClassId => 1;

    public override byte Version => 0;

    public override int AttributeCount => 2;

    public override int MethodCount => 0;

    protected override GetResult GetAttribute(int attributeId, SelectiveAccessDescriptor? access, CosemContext context)
        => GetResult.Success(new DlmsDoubleLongUnsigned(device.Security.HighestAccepted(clientSap)));
}
