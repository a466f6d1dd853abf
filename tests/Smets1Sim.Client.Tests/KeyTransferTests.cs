using Smets1Sim.Client.Tests.Fakes;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Security;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Client.Tests;

[TestClass]
public sealed class KeyTransferTests
{
    private static readonly ObisCode SecuritySetup = new(0, 0, 43, 0, 0, 255);

    // docs/dlms-wire.md section 3: new EK 00112233..FF wrapped under KEK 000102..0F, invoke-id-and-priority C1.
    private const string DomainExample =
        "C301C1004000002B0000FF0201010102021600" + "0918" + "1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5";

    [TestMethod]
    [DataRow(CipheringForm.ServiceSpecific)]
    [DataRow(CipheringForm.GeneralGlobal)]
    public async Task KeyTransferAsync_NewEk_DecryptsToTheDomainExampleBytes(CipheringForm form)
    {
        await using ScriptedServer server = ScriptedServer.Start();
        await using var client = new DlmsClient(Scenario.HlsOptions(server, form));
        using SecretKey newEk = SecretKey.FromHex(TestKeys.NewEncryptionKeyHex);
        using SecretKey kek = SecretKey.FromHex(TestKeys.KekHex);
        byte[]? received = null;
        byte wireTag = 0;

        await Scenario.RunAsync(
            async ct =>
            {
                await using var session = new FakeServerSession(await server.AcceptAsync(ct), ciphered: true);
                await session.AssociateHlsAsync(ct);
                byte[] apdu = await session.Peer.ReceiveApduAsync(ct);
                wireTag = apdu[0];
                received = session.ReceivedPlain(apdu);
                await session.ReplyAsync(new ActionResponseNormal(new InvokeIdAndPriority(0xC1), ActionResult.Success), ct);
            },
            async ct =>
            {
                await client.OpenAsync(ct);
                ActionInvocationResult result = await client.KeyTransferAsync(
                    SecuritySetup, [(DlmsClient.GlobalUnicastEncryptionKeyId, newEk)], kek, ct);
                Assert.IsTrue(result.IsSuccess);
            });

        Assert.AreEqual(DomainExample, Convert.ToHexString(received!));
        Assert.AreEqual(form == CipheringForm.GeneralGlobal ? (byte)0xDB : (byte)0xCB, wireTag, "glo-action-request or general-glo-ciphering");
    }

    [TestMethod]
    public async Task KeyTransferAsync_ServerRefuses_ReturnsTheActionResult()
    {
        await using ScriptedServer server = ScriptedServer.Start();
        await using var client = new DlmsClient(Scenario.HlsOptions(server));
        using SecretKey newAk = SecretKey.FromHex("D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDE");
        using SecretKey kek = SecretKey.FromHex(TestKeys.KekHex);

        await Scenario.RunAsync(
            async ct =>
            {
                await using var session = new FakeServerSession(await server.AcceptAsync(ct), ciphered: true);
                await session.AssociateHlsAsync(ct);
                ActionRequestNormal request = await session.ReceiveRequestAsync<ActionRequestNormal>(ct);
                var keys = (DlmsArray)request.Parameters!;
                Assert.AreEqual(new DlmsEnum(2), ((DlmsStructure)keys.Items[0]).Items[0]);
                await session.ReplyAsync(new ActionResponseNormal(request.InvokeIdAndPriority, ActionResult.OtherReason), ct);
            },
            async ct =>
            {
                await client.OpenAsync(ct);
                ActionInvocationResult result = await client.KeyTransferAsync(SecuritySetup, [(DlmsClient.AuthenticationKeyId, newAk)], kek, ct);
                Assert.AreEqual(ActionResult.OtherReason, result.Result);
            });
    }

    [TestMethod]
    public void KeyTransferParameters_TwoKeys_ArrayOfTwoStructures()
    {
        using SecretKey kek = SecretKey.FromHex(TestKeys.KekHex);
        using SecretKey ek = SecretKey.FromHex(TestKeys.NewEncryptionKeyHex);
        using SecretKey ak = SecretKey.FromHex("00112233445566778899AABBCCDDEEFE");

        var value = (DlmsArray)DlmsClient.KeyTransferParameters([(0, ek), (2, ak)], kek);

        Assert.HasCount(2, value.Items);
        Assert.AreEqual(
            "0202160009181FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5",
            Convert.ToHexString(value.Items[0].ToArray()));
        Assert.AreEqual(new DlmsEnum(2), ((DlmsStructure)value.Items[1]).Items[0]);
    }

    [TestMethod]
    public void KeyTransferParameters_BadInput_ThrowsArgumentException()
    {
        using SecretKey kek = SecretKey.FromHex(TestKeys.KekHex);
        using SecretKey key = SecretKey.FromHex(TestKeys.NewEncryptionKeyHex);
        using SecretKey longKey = SecretKey.FromHex(TestKeys.NewEncryptionKeyHex + TestKeys.NewEncryptionKeyHex);

        Assert.ThrowsExactly<ArgumentException>(() => DlmsClient.KeyTransferParameters([], kek), "NoKeys");
        Assert.ThrowsExactly<ArgumentException>(() => DlmsClient.KeyTransferParameters([(4, key)], kek), "UnknownKeyId");
        Assert.ThrowsExactly<ArgumentException>(() => DlmsClient.KeyTransferParameters([(0, longKey)], kek), "NotSuite0Length");
    }

    [TestMethod]
    public async Task KeyTransferAsync_UncipheredAssociation_Refused()
    {
        await using var client = new DlmsClient(new DlmsClientOptions { Host = "127.0.0.1" });
        using SecretKey kek = SecretKey.FromHex(TestKeys.KekHex);
        using SecretKey key = SecretKey.FromHex(TestKeys.NewEncryptionKeyHex);

        await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => client.KeyTransferAsync(SecuritySetup, [(0, key)], kek));
    }
}
