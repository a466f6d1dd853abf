using Microsoft.Extensions.Time.Testing;
using Smets1Sim.Cosem;
using Smets1Sim.Cosem.Classes;
using Smets1Sim.Devices.Profiles;
using Smets1Sim.Devices.Runtime;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Security;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Devices.Tests.Runtime;

/// <summary>
/// The event log under a flood of authentication failures (issue: 312 failures a second wiped a key rotation from
/// a 100-entry log and cost one fsync each).
/// </summary>
[TestClass]
public sealed class DeviceEventLogTests
{
    private static readonly ObisCode EventLog = ObisCode.Parse("0-0:99.98.0.255");

    private sealed class CountingPersistence : IDeviceStatePersistence
    {
        public int Saves { get; private set; }

        public void Save(DeviceSnapshot snapshot)
        {
            ArgumentNullException.ThrowIfNull(snapshot);
            Saves++;
        }
    }

    // The event objects exactly as the shipped ESME profile defines them.
    private static LogicalDevice Device(IDeviceStatePersistence persistence, TimeProvider time)
    {
        DeviceProfile esme = ProfileLoader.LoadAllEmbedded()["esme"];
        ObisCode[] wanted = [EventLog, ObisCode.Parse("0-0:96.11.0.255"), ObisCode.Parse("0-0:96.15.0.255")];
        CosemObject[] objects = [.. esme.Objects.Where(o => wanted.Contains(o.LogicalName))
            .Select(o => CosemObjectFactory.Create(o.ClassId, o.LogicalName, o.Attributes.ToDictionary(p => p.Key, p => p.Value)))];
        Assert.HasCount(3, objects);
        return new LogicalDevice(
            new DeviceIdentity("T-ESME", "esme", 2, "TESTESME0001", SystemTitle.Parse("4D4D4D0000BC614E"), DateTimeOffset.UnixEpoch),
            objects,
            [],
            new KeySet(SecretKey.Generate(), SecretKey.Generate(), SecretKey.Generate()),
            pendingKeys: null,
            outgoingReserved: 0,
            incomingCounters: new Dictionary<ushort, uint>(),
            SecurityPolicy.AuthenticatedRequest,
            keyGeneration: 0,
            KeyActivation.NextAssociation,
            FaultPlan.None,
            persistence,
            time);
    }

    private static (ushort Code, uint Count)[] Entries(LogicalDevice device)
        => [.. ((ProfileGenericObject)device.Objects[EventLog]).Rows.Cast<DlmsStructure>()
            .Select(r => (((DlmsLongUnsigned)r.Items[1]).Value, ((DlmsDoubleLongUnsigned)r.Items[2]).Value))];

    [TestMethod]
    public void RecordEvent_FailureFloodWithinOneInterval_OneCountedEntryAndNoDurableWrite()
    {
        var persistence = new CountingPersistence();
        using LogicalDevice device = Device(persistence, new FakeTimeProvider());
        device.RecordEvent(DeviceEvent.KeysAccepted);
        device.RecordEvent(DeviceEvent.KeysActivated);
        Assert.AreEqual(2, persistence.Saves, "a key event is stored at once, with one write");

        for (int i = 0; i < 10_000; i++)
        {
            device.RecordEvent(DeviceEvent.AuthenticationFailed);
        }

        Assert.AreEqual(2, persistence.Saves, "failures are stored behind, never one write per attempt");
        CollectionAssert.AreEqual(new[] { ((ushort)201, 1u), ((ushort)202, 1u), ((ushort)204, 10_000u) }, Entries(device));
        Assert.AreEqual(new DlmsLongUnsigned(204), ((AttributeBagObject)device.Objects[ObisCode.Parse("0-0:96.11.0.255")]).Value(2));

        device.FlushIfDirty();
        device.FlushIfDirty();
        Assert.AreEqual(3, persistence.Saves, "the counted failures are stored by one flush");
    }

    [TestMethod]
    public void RecordEvent_FailuresOverManyIntervalsFillTheLog_KeyEventsStay()
    {
        var time = new FakeTimeProvider();
        using LogicalDevice device = Device(new CountingPersistence(), time);
        device.RecordEvent(DeviceEvent.KeysAccepted);
        device.RecordEvent(DeviceEvent.KeysActivated);
        for (int interval = 0; interval < 500; interval++)
        {
            device.RecordEvent(DeviceEvent.AuthenticationFailed);
            device.RecordEvent(DeviceEvent.AuthenticationFailed);
            time.Advance(TimeSpan.FromMinutes(1));
        }

        (ushort Code, uint Count)[] entries = Entries(device);
        Assert.HasCount(100, entries);
        CollectionAssert.AreEqual(new[] { ((ushort)201, 1u), ((ushort)202, 1u) }, entries[..2]);
        Assert.IsTrue(entries[2..].All(e => e == (204, 2u)), "one entry per interval, counting its failures");
    }

    [TestMethod]
    public void RecordEvent_KeyEventBetweenFailures_StartsANewFailureEntry()
    {
        using LogicalDevice device = Device(new CountingPersistence(), new FakeTimeProvider());
        device.RecordEvent(DeviceEvent.AuthenticationFailed);
        device.RecordEvent(DeviceEvent.SecurityPolicyChanged);
        device.RecordEvent(DeviceEvent.AuthenticationFailed);
        device.RecordEvent(DeviceEvent.AuthenticationFailed);
        CollectionAssert.AreEqual(new[] { ((ushort)204, 1u), ((ushort)203, 1u), ((ushort)204, 2u) }, Entries(device));
    }

    [TestMethod]
    public void RecordEvent_LogFullOfKeyEvents_OldestKeyEventGoes()
    {
        using LogicalDevice device = Device(new CountingPersistence(), new FakeTimeProvider());
        device.RecordEvent(DeviceEvent.SecurityPolicyChanged);
        for (int i = 0; i < 100; i++)
        {
            device.RecordEvent(DeviceEvent.KeysAccepted);
        }

        (ushort Code, uint Count)[] entries = Entries(device);
        Assert.HasCount(100, entries);
        Assert.IsTrue(entries.All(e => e.Code == 201));
    }
}
