using System.Text;
using Smets1Sim.Client;
using Smets1Sim.Devices.Fleet;
using Smets1Sim.Devices.Profiles;
using Smets1Sim.Devices.Runtime;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Security;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.EndToEnd.Tests.Fleet;

/// <summary>The shipped SMETS1 profiles served over loopback, driven by our client as a head-end would.</summary>
[TestClass]
public sealed class FleetEndToEndTests : LoggedServerTests
{
    private static readonly ObisCode SecuritySetup = ObisCode.Parse("0-0:43.0.0.255");
    private static readonly ObisCode Clock = ObisCode.Parse("0-0:1.0.0.255");
    private static readonly ObisCode Disconnect = ObisCode.Parse("0-0:96.3.10.255");

    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Ct => TestContext.CancellationToken;

    private static string NewKeyHex() => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    private async Task<DlmsClient> OpenAsync(DlmsClientOptions options)
    {
        var client = new DlmsClient(options);
        await client.OpenAsync(Ct);
        return client;
    }

    [TestMethod]
    public async Task PublicClient_ReadsSapAssignmentNameAndCounter()
    {
        await using FleetFixture fleet = FleetFixture.Start(Log);
        FleetDevice chf = fleet.Device("chf");
        await using DlmsClient client = await OpenAsync(fleet.Public(chf));
        var sap = (DlmsArray)await client.GetValueAsync(new CosemAttributeDescriptor(17, ObisCode.Parse("0-0:41.0.0.255"), 2), Ct);
        Assert.HasCount(4, sap.Items);
        CollectionAssert.AreEqual(new[] { 1, 2, 3, 4 }, sap.Items.Select(i => (int)((DlmsLongUnsigned)((DlmsStructure)i).Items[0]).Value).ToArray());
        var name = (DlmsOctetString)await client.GetValueAsync(new CosemAttributeDescriptor(1, ObisCode.Parse("0-0:42.0.0.255"), 2), Ct);
        Assert.AreEqual(chf.LogicalDeviceName, Encoding.ASCII.GetString(name.Span));
        Assert.AreEqual(new DlmsDoubleLongUnsigned(0), await client.GetValueAsync(new CosemAttributeDescriptor(1, ObisCode.Parse("0-0:43.1.0.255"), 2), Ct));
        GetDataResult hidden = await client.GetAsync(new CosemAttributeDescriptor(64, SecuritySetup, 2), cancellationToken: Ct);
        Assert.AreEqual(DataAccessResult.ObjectUndefined, hidden.AccessResult, "the public client must not see the security setup");
    }

    [TestMethod]
    [DataRow("chf")]
    [DataRow("esme")]
    [DataRow("gpf")]
    [DataRow("ppmid")]
    public async Task Management_HlsWithEachLogicalDevice_ReadsClockAndObjectList(string type)
    {
        await using FleetFixture fleet = FleetFixture.Start(Log);
        FleetDevice device = fleet.Device(type);
        await using DlmsClient client = await OpenAsync(fleet.Management(device));
        var clock = (DlmsDateTime)await client.GetValueAsync(new CosemAttributeDescriptor(8, Clock, 2), Ct);
        Assert.IsTrue(clock.Value.TryToDateTimeOffset(out DateTimeOffset time));
        Assert.IsLessThan(60, Math.Abs((time - DateTimeOffset.UtcNow).TotalSeconds));
        var objects = (DlmsArray)await client.GetValueAsync(new CosemAttributeDescriptor(15, ObisCode.Parse("0-0:40.0.0.255"), 2), Ct);
        Assert.HasCount(FleetFixture.Profiles[type].Objects.Count, objects.Items);
        var policy = (DlmsEnum)await client.GetValueAsync(new CosemAttributeDescriptor(64, SecuritySetup, 2), Ct);
        Assert.AreEqual(0x6C, policy.Value);
        await client.ReleaseAsync(Ct);
    }

    [TestMethod]
    public async Task Esme_GetSetAction_OnMeterObjects()
    {
        await using FleetFixture fleet = FleetFixture.Start(Log);
        await using DlmsClient client = await OpenAsync(fleet.Management(fleet.Device("esme")));
        Assert.IsInstanceOfType<DlmsDoubleLongUnsigned>(await client.GetValueAsync(new CosemAttributeDescriptor(3, ObisCode.Parse("1-0:1.8.0.255"), 2), Ct));
        var disconnect = ObisCode.Parse("0-0:96.3.10.255");
        Assert.IsTrue((await client.InvokeAsync(new CosemMethodDescriptor(70, disconnect, 1), new DlmsInteger(0), Ct)).IsSuccess);
        Assert.AreEqual(new DlmsBoolean(false), await client.GetValueAsync(new CosemAttributeDescriptor(70, disconnect, 2), Ct));
        var credit = ObisCode.Parse("0-0:19.10.0.255");
        Assert.AreEqual(DataAccessResult.Success, await client.SetAsync(new CosemAttributeDescriptor(112, credit, 5), new DlmsDoubleLong(100), cancellationToken: Ct));
        Assert.AreEqual(DataAccessResult.TypeUnmatched, await client.SetAsync(new CosemAttributeDescriptor(112, credit, 5), new DlmsUnsigned(1), cancellationToken: Ct));
        Assert.IsTrue((await client.InvokeAsync(new CosemMethodDescriptor(112, credit, 1), new DlmsDoubleLong(500), Ct)).IsSuccess);
        Assert.AreEqual(new DlmsDoubleLong(2000), await client.GetValueAsync(new CosemAttributeDescriptor(112, credit, 2), Ct));
        Assert.AreEqual(DataAccessResult.ObjectUndefined, (await client.GetAsync(new CosemAttributeDescriptor(1, ObisCode.Parse("9-9:9.9.9.9"), 2), cancellationToken: Ct)).AccessResult);
        Assert.AreEqual(ActionResult.ObjectUndefined, (await client.InvokeAsync(new CosemMethodDescriptor(70, disconnect, 9), null, Ct)).Result);
    }

    [TestMethod]
    [DataRow(DlmsClient.GlobalUnicastEncryptionKeyId)]
    [DataRow(DlmsClient.AuthenticationKeyId)]
    [DataRow(DlmsClient.MasterKeyId)]
    [DataRow(DlmsClient.GlobalBroadcastEncryptionKeyId)]
    public async Task KeyTransfer_EachKeyId_NewKeysFromNextAssociation_OldRefused(byte keyId)
    {
        if (keyId is DlmsClient.GlobalUnicastEncryptionKeyId or DlmsClient.AuthenticationKeyId)
        {
            Log.Expect(110); // the stale client's AARQ under the old keys
        }

        await using FleetFixture fleet = FleetFixture.Start(Log);
        FleetDevice esme = fleet.Device("esme");
        string newKey = NewKeyHex();
        await using (DlmsClient client = await OpenAsync(fleet.Management(esme)))
        {
            using SecretKey key = SecretKey.FromHex(newKey);
            using SecretKey kek = SecretKey.FromHex(esme.Kek);
            Assert.IsTrue((await client.KeyTransferAsync(SecuritySetup, [(keyId, key)], kek, Ct)).IsSuccess);
            await client.ReleaseAsync(Ct);
        }

        string ek = keyId == DlmsClient.GlobalUnicastEncryptionKeyId ? newKey : esme.Ek;
        string ak = keyId == DlmsClient.AuthenticationKeyId ? newKey : esme.Ak;
        await using (DlmsClient fresh = await OpenAsync(fleet.Management(esme, ek, ak)))
        {
            Assert.IsInstanceOfType<DlmsDateTime>(await fresh.GetValueAsync(new CosemAttributeDescriptor(8, Clock, 2), Ct));
            if (keyId == DlmsClient.MasterKeyId)
            {
                // The new KEK wraps the next key; the old KEK no longer does.
                using SecretKey oldKek = SecretKey.FromHex(esme.Kek);
                using SecretKey another = SecretKey.Generate();
                Assert.AreEqual(ActionResult.OtherReason, (await fresh.KeyTransferAsync(SecuritySetup, [(DlmsClient.GlobalUnicastEncryptionKeyId, another)], oldKek, Ct)).Result);
            }
        }

        if (keyId is DlmsClient.GlobalUnicastEncryptionKeyId or DlmsClient.AuthenticationKeyId)
        {
            await using var stale = new DlmsClient(fleet.Management(esme));
            await Assert.ThrowsExactlyAsync<DlmsAssociationException>(() => stale.OpenAsync(Ct));
        }
    }

    [TestMethod]
    public async Task PerDeviceMode_EachDeviceOnItsOwnEndpoint()
    {
        var profiles = FleetFixture.Profiles;
        FleetFile fleet = FleetGenerator.Generate(new FleetOptions { Mode = "per-device", BasePort = 0 }, profiles, TimeProvider.System);
        await using var host = Smets1Sim.Devices.Hosting.FleetHost.Create(fleet, profiles, null, new(), TimeProvider.System, Log);
        host.Start();
        Assert.HasCount(4, host.Endpoints);
        foreach (var endpoint in host.Endpoints)
        {
            FleetDevice device = fleet.Devices.Single(d => d.Id == endpoint.Devices.Single().Id);
            await using var client = new DlmsClient(new DlmsClientOptions { Host = "127.0.0.1", Port = endpoint.Port, ClientSap = 16, ServerWPort = (ushort)device.WPort });
            await client.OpenAsync(Ct);
            var name = (DlmsOctetString)await client.GetValueAsync(new CosemAttributeDescriptor(1, ObisCode.Parse("0-0:42.0.0.255"), 2), Ct);
            Assert.AreEqual(device.LogicalDeviceName, Encoding.ASCII.GetString(name.Span));
        }
    }

    [TestMethod]
    public async Task KeyRotation_RecordedInEventLog_ReadByEntry()
    {
        await using FleetFixture fleet = FleetFixture.Start(Log);
        FleetDevice esme = fleet.Device("esme");
        string newEk = NewKeyHex();
        await using (DlmsClient client = await OpenAsync(fleet.Management(esme)))
        {
            using SecretKey key = SecretKey.FromHex(newEk);
            using SecretKey kek = SecretKey.FromHex(esme.Kek);
            Assert.IsTrue((await client.KeyTransferAsync(SecuritySetup, [(0, key)], kek, Ct)).IsSuccess);
        }

        await using DlmsClient fresh = await OpenAsync(fleet.Management(esme, ek: newEk));
        var eventLog = ObisCode.Parse("0-0:99.98.0.255");
        // Entry selector: rows 1..last, column 2 only (the event code).
        var selector = new SelectiveAccessDescriptor(2, DlmsValue.Structure(new DlmsDoubleLongUnsigned(1), new DlmsDoubleLongUnsigned(0), new DlmsLongUnsigned(2), new DlmsLongUnsigned(2)));
        GetDataResult rows = await fresh.GetAsync(new CosemAttributeDescriptor(7, eventLog, 2), selector, Ct);
        CollectionAssert.AreEqual(
            new[] { 201, 202 },
            ((DlmsArray)rows.Data!).Items.Select(r => (int)((DlmsLongUnsigned)((DlmsStructure)r).Items[0]).Value).ToArray(),
            "key accepted, then keys in force at the next association");
        Assert.AreEqual(new DlmsLongUnsigned(202), await fresh.GetValueAsync(new CosemAttributeDescriptor(1, ObisCode.Parse("0-0:96.11.0.255"), 2), Ct));
    }

    [TestMethod]
    public async Task KeyTransfer_WrongKek_RefusedAndOldKeysStillWork()
    {
        await using FleetFixture fleet = FleetFixture.Start(Log);
        FleetDevice gpf = fleet.Device("gpf");
        await using (DlmsClient client = await OpenAsync(fleet.Management(gpf)))
        {
            using SecretKey key = SecretKey.Generate();
            using SecretKey wrongKek = SecretKey.Generate();
            Assert.AreEqual(ActionResult.OtherReason, (await client.KeyTransferAsync(SecuritySetup, [(0, key)], wrongKek, Ct)).Result);
        }

        await using DlmsClient again = await OpenAsync(fleet.Management(gpf));
        Assert.IsInstanceOfType<DlmsDateTime>(await again.GetValueAsync(new CosemAttributeDescriptor(8, Clock, 2), Ct));
    }

    [TestMethod]
    public async Task Restart_KeysCountersAndWrittenValuesPreserved()
    {
        Log.Expect(110);
        await using FleetFixture fleet = FleetFixture.Start(Log);
        FleetDevice esme = fleet.Device("esme");
        string newEk = NewKeyHex();
        var credit = ObisCode.Parse("0-0:19.10.0.255");
        await using (DlmsClient client = await OpenAsync(fleet.Management(esme)))
        {
            Assert.AreEqual(DataAccessResult.Success, await client.SetAsync(new CosemAttributeDescriptor(112, credit, 2), new DlmsDoubleLong(4242), cancellationToken: Ct));
            Assert.IsTrue((await client.InvokeAsync(new CosemMethodDescriptor(70, Disconnect, 1), new DlmsInteger(0), Ct)).IsSuccess);
            using SecretKey key = SecretKey.FromHex(newEk);
            using SecretKey kek = SecretKey.FromHex(esme.Kek);
            Assert.IsTrue((await client.KeyTransferAsync(SecuritySetup, [(0, key)], kek, Ct)).IsSuccess);
        }

        await fleet.RestartAsync();
        await using (DlmsClient client = await OpenAsync(fleet.Management(esme, ek: newEk)))
        {
            Assert.AreEqual(new DlmsDoubleLong(4242), await client.GetValueAsync(new CosemAttributeDescriptor(112, credit, 2), Ct));
            Assert.AreEqual(new DlmsBoolean(false), await client.GetValueAsync(new CosemAttributeDescriptor(70, Disconnect, 2), Ct), "a disconnected supply stays disconnected");
            uint used = client.NextInvocationCounter!.Value;
            await client.ReleaseAsync(Ct);
            await fleet.RestartAsync();
            // The counter object survived the restart: reading it gives a value the device still accepts.
            uint next = await DlmsClient.ReadNextInvocationCounterAsync(fleet.Management(esme, ek: newEk), cancellationToken: Ct);
            Assert.IsGreaterThanOrEqualTo(used, next);
        }

        await using var stale = new DlmsClient(fleet.Management(esme));
        await Assert.ThrowsExactlyAsync<DlmsAssociationException>(() => stale.OpenAsync(Ct));
    }

    [TestMethod]
    public async Task ReplayAcrossRestart_OldCounterRefused()
    {
        Log.Expect(110);
        await using FleetFixture fleet = FleetFixture.Start(Log);
        FleetDevice ppmid = fleet.Device("ppmid");
        await using (DlmsClient client = await OpenAsync(fleet.Management(ppmid, ic: 100)))
        {
            await client.ReleaseAsync(Ct);
        }

        await fleet.RestartAsync();
        await using var replayed = new DlmsClient(fleet.Management(ppmid, ic: 100));
        await Assert.ThrowsExactlyAsync<DlmsAssociationException>(() => replayed.OpenAsync(Ct));
    }

    [TestMethod]
    public async Task Fault_DropAfterKeyTransferPersisted_DeviceHoldsTheNewKey()
    {
        Log.Expect(105, 110);
        await using FleetFixture fleet = FleetFixture.Start(Log, edit: d => d.Type == "esme" ? d with { Faults = new FaultOptions { DropConnectionAt = FaultPoint.AfterKeyTransferPersisted } } : d);
        FleetDevice esme = fleet.Device("esme");
        string newEk = NewKeyHex();
        await using (DlmsClient client = await OpenAsync(fleet.Management(esme)))
        {
            using SecretKey key = SecretKey.FromHex(newEk);
            using SecretKey kek = SecretKey.FromHex(esme.Kek);
            DlmsConnectionException dropped = await Assert.ThrowsExactlyAsync<DlmsConnectionException>(() => client.KeyTransferAsync(SecuritySetup, [(0, key)], kek, Ct));
            Assert.IsInstanceOfType<EndOfStreamException>(dropped.InnerException, "the server closed the connection");
            Assert.IsTrue(client.IsBroken);
        }

        // The head-end never heard, but the device stored the key: only the new key opens it, even after a restart.
        await fleet.RestartAsync();
        await using var old = new DlmsClient(fleet.Management(esme));
        await Assert.ThrowsExactlyAsync<DlmsAssociationException>(() => old.OpenAsync(Ct));
        await using DlmsClient fresh = await OpenAsync(fleet.Management(esme, ek: newEk));
    }

    [TestMethod]
    [DataRow("after-key-transfer-received")]
    [DataRow("power-loss")]
    public async Task Fault_DropBeforeKeysStored_DeviceKeepsOldKey(string fault)
    {
        Log.Expect(105);
        FaultOptions faults = fault == "power-loss"
            ? new FaultOptions { PowerLossBeforePersist = true }
            : new FaultOptions { DropConnectionAt = FaultPoint.AfterKeyTransferReceived };
        await using FleetFixture fleet = FleetFixture.Start(Log, edit: d => d.Type == "gpf" ? d with { Faults = faults } : d);
        FleetDevice gpf = fleet.Device("gpf");
        await using (DlmsClient client = await OpenAsync(fleet.Management(gpf)))
        {
            using SecretKey key = SecretKey.Generate();
            using SecretKey kek = SecretKey.FromHex(gpf.Kek);
            DlmsConnectionException dropped = await Assert.ThrowsExactlyAsync<DlmsConnectionException>(() => client.KeyTransferAsync(SecuritySetup, [(0, key)], kek, Ct));
            Assert.IsInstanceOfType<EndOfStreamException>(dropped.InnerException, "the server closed the connection");
        }

        await fleet.RestartAsync();
        await using DlmsClient again = await OpenAsync(fleet.Management(gpf));
    }

    [TestMethod]
    public async Task Fault_RefuseKeyTransfer_AndDelayedResponses()
    {
        await using FleetFixture fleet = FleetFixture.Start(Log, edit: d => d.Type == "ppmid" ? d with { Faults = new FaultOptions { RefuseKeyTransfer = true, DelayResponsesMs = 50 } } : d);
        FleetDevice ppmid = fleet.Device("ppmid");
        await using DlmsClient client = await OpenAsync(fleet.Management(ppmid));
        using SecretKey key = SecretKey.Generate();
        using SecretKey kek = SecretKey.FromHex(ppmid.Kek);
        Assert.AreEqual(ActionResult.TemporaryFailure, (await client.KeyTransferAsync(SecuritySetup, [(0, key)], kek, Ct)).Result);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await client.GetValueAsync(new CosemAttributeDescriptor(8, Clock, 2), Ct);
        Assert.IsGreaterThanOrEqualTo(40, watch.ElapsedMilliseconds, "responses are delayed by the fault");
    }

    [TestMethod]
    public async Task Fault_DropAfterAarq_ConnectionClosedWithoutAare()
    {
        Log.Expect(105);
        await using FleetFixture fleet = FleetFixture.Start(Log, edit: d => d.Type == "chf" ? d with { Faults = new FaultOptions { DropConnectionAt = FaultPoint.AfterAarq } } : d);
        FleetDevice chf = fleet.Device("chf");
        await using (var client = new DlmsClient(fleet.Management(chf, ic: 10)))
        {
            DlmsConnectionException dropped = await Assert.ThrowsExactlyAsync<DlmsConnectionException>(() => client.OpenAsync(Ct));
            Assert.IsInstanceOfType<EndOfStreamException>(dropped.InnerException, "the server closed the connection");
        }

        // Once only: the next attempt works.
        await using DlmsClient again = await OpenAsync(fleet.Management(chf, ic: 20));
    }
}
