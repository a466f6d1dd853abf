using Smets1Sim.Client;
using Smets1Sim.Devices.Fleet;
using Smets1Sim.Dlms.Security;
using Smets1Sim.HeadEnd.Rotation;
using Smets1Sim.HeadEnd.Store;
using Smets1Sim.HeadEnd.Tests.Fakes;

namespace Smets1Sim.HeadEnd.Tests.Rotation;

/// <summary>Rotations over real loopback sockets against in-process fleets of all four device types.</summary>
[TestClass]
public sealed class RotationEndToEndTests
{
    public TestContext TestContext { get; set; } = null!;

    private static RotationOptions Options(params KeyKind[] keys) => new()
    {
        Keys = keys.Length == 0 ? [KeyKind.Encryption, KeyKind.Authentication] : keys,
        InitialBackoff = TimeSpan.FromMilliseconds(1),
        MaxBackoff = TimeSpan.FromMilliseconds(5),
    };

    [TestMethod]
    public async Task Rotate_AllFourTypes_NewKeysActiveAndOldKeysRefused()
    {
        CancellationToken ct = TestContext.CancellationToken;
        await using HeadEndFixture f = HeadEndFixture.Start();
        var campaign = new RotationCampaign(f.Store, Options());

        CampaignSummary summary = await campaign.RunAsync(f.Store.DeviceIds(), concurrency: 4, progress: null, ct);

        Assert.AreEqual(4, summary.Rotated, string.Join("; ", summary.Results.Select(r => $"{r.DeviceId} {r.Outcome} {r.Step} {r.Reason}")));
        foreach (FleetDevice d in f.Fleet.Devices)
        {
            await f.AssertReachableWithActiveKeysAsync(d.Id, ct);
            using SecretKey oldEk = SecretKey.FromHex(d.Ek);
            using SecretKey oldAk = SecretKey.FromHex(d.Ak);
            DlmsAssociationException refused = await Assert.ThrowsExactlyAsync<DlmsAssociationException>(() => f.ReadNameAsync(d.Id, oldEk, oldAk, ct));
            Assert.IsTrue(refused.IsAuthenticationFailure);
            using DeviceKeys active = f.Store.LoadActiveKeys(d.Id);
            Assert.IsFalse(active.Encryption.KeyEquals(oldEk));
            Assert.AreEqual(1L, f.Store.GetDevice(d.Id).KeyGeneration);
        }
    }

    [TestMethod]
    public async Task Rotate_Twice_SecondRotationUsesTheFirstOnesKeys()
    {
        CancellationToken ct = TestContext.CancellationToken;
        await using HeadEndFixture f = HeadEndFixture.Start();
        string esme = f.Device("esme").Id;
        var campaign = new RotationCampaign(f.Store, Options());

        Assert.AreEqual(RotationOutcome.Rotated, (await campaign.RotateWithRetriesAsync(esme, null, ct)).Outcome);
        Assert.AreEqual(RotationOutcome.Rotated, (await campaign.RotateWithRetriesAsync(esme, null, ct)).Outcome);

        await f.AssertReachableWithActiveKeysAsync(esme, ct);
        Assert.AreEqual(2L, f.Store.GetDevice(esme).KeyGeneration);
        IReadOnlyList<StoredKeyInfo> keys = f.Store.Status().Single(s => s.Device.Id == esme).Keys;
        Assert.AreEqual(3, keys.Count(k => k.State == KeyState.Active), "EK, AK, KEK active");
        Assert.IsNull(f.Store.Status().Single(s => s.Device.Id == esme).PendingGeneration);
    }

    [TestMethod]
    [DataRow("kek")]
    [DataRow("ek,ak,kek")]
    [DataRow("bk")]
    [DataRow("ek")]
    public async Task Rotate_KeySelection_ConfirmedAndNextRotationWorksUnderNewKek(string keys)
    {
        CancellationToken ct = TestContext.CancellationToken;
        await using HeadEndFixture f = HeadEndFixture.Start();
        string gpf = f.Device("gpf").Id;
        var campaign = new RotationCampaign(f.Store, Options([.. KeyNames.ParseList(keys)]));

        DeviceRotationResult first = await campaign.RotateWithRetriesAsync(gpf, null, ct);
        Assert.AreEqual(RotationOutcome.Rotated, first.Outcome, first.Reason);
        // The next key_transfer is wrapped under whatever KEK the store now calls active: it works only if the device agrees.
        DeviceRotationResult second = await new RotationCampaign(f.Store, Options()).RotateWithRetriesAsync(gpf, null, ct);
        Assert.AreEqual(RotationOutcome.Rotated, second.Outcome, second.Reason);
        await f.AssertReachableWithActiveKeysAsync(gpf, ct);
    }

    [TestMethod]
    public async Task Rotate_ImmediateActivationProfile_Rotates()
    {
        CancellationToken ct = TestContext.CancellationToken;
        await using HeadEndFixture f = HeadEndFixture.Start(activation: Devices.Runtime.KeyActivation.Immediate);
        CampaignSummary summary = await new RotationCampaign(f.Store, Options()).RunAsync(f.Store.DeviceIds(), 2, null, ct);
        Assert.IsTrue(summary.AllSucceeded, string.Join("; ", summary.Results.Select(r => $"{r.DeviceId} {r.Step} {r.Reason}")));
        foreach (FleetDevice d in f.Fleet.Devices)
        {
            await f.AssertReachableWithActiveKeysAsync(d.Id, ct);
        }
    }

    [TestMethod]
    public async Task Rotate_UnreachableDevice_FailsAtAssociateAndKeepsActiveKeys()
    {
        CancellationToken ct = TestContext.CancellationToken;
        await using HeadEndFixture f = HeadEndFixture.Start();
        string esme = f.Device("esme").Id;
        await f.Host.DisposeAsync();
        var campaign = new RotationCampaign(f.Store, Options() with { MaxAttempts = 2 });

        DeviceRotationResult result = await campaign.RotateWithRetriesAsync(esme, null, ct);

        Assert.AreEqual(RotationOutcome.Failed, result.Outcome);
        Assert.AreEqual(RotationSteps.Associate, result.Step);
        Assert.IsTrue(result.Transient);
        Assert.AreEqual(2, result.Attempts);
        DeviceStatus status = f.Store.Status().Single(s => s.Device.Id == esme);
        Assert.IsNull(status.PendingGeneration, "nothing was sent: the pending keys are abandoned");
        Assert.AreEqual(0L, status.Device.KeyGeneration);
        using DeviceKeys active = f.Store.LoadActiveKeys(esme);
        using SecretKey ek = SecretKey.FromHex(f.Device("esme").Ek);
        Assert.IsTrue(active.Encryption.KeyEquals(ek));
    }
}
