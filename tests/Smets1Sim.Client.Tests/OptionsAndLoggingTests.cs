using Microsoft.Extensions.Logging;
using Smets1Sim.Client.Tests.Fakes;
using Smets1Sim.Dlms.Acse;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Security;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Client.Tests;

[TestClass]
public sealed class OptionsAndLoggingTests
{
    private static readonly SecretKey Ek = TestKeys.Ek();
    private static readonly SecretKey Ak = TestKeys.Ak();

    public static IEnumerable<object[]> InvalidOptions =>
    [
        ["HlsWithoutKeys", new DlmsClientOptions { Host = "h", Mechanism = AuthenticationMechanism.HlsGmac, ClientSystemTitle = TestKeys.ClientTitle }],
        ["LlsWithoutPassword", new DlmsClientOptions { Host = "h", Mechanism = AuthenticationMechanism.Lls }],
        ["UnsupportedMechanism", new DlmsClientOptions { Host = "h", Mechanism = AuthenticationMechanism.HlsSha256 }],
        ["CipheredWithoutTitle", new DlmsClientOptions { Host = "h", EncryptionKey = Ek, AuthenticationKey = Ak }],
        ["CipheredWithoutAk", new DlmsClientOptions { Host = "h", EncryptionKey = Ek, ClientSystemTitle = TestKeys.ClientTitle }],
        ["AkWithoutEk", new DlmsClientOptions { Host = "h", AuthenticationKey = Ak }],
        ["NoProtection", new DlmsClientOptions { Host = "h", EncryptionKey = Ek, AuthenticationKey = Ak, ClientSystemTitle = TestKeys.ClientTitle, SecurityPolicy = SecurityPolicy.None }],
        ["Signed", new DlmsClientOptions { Host = "h", EncryptionKey = Ek, AuthenticationKey = Ak, ClientSystemTitle = TestKeys.ClientTitle, SecurityPolicy = SecurityPolicy.AuthenticatedEncrypted | SecurityPolicy.SignedRequest }],
        ["EmptyHost", new DlmsClientOptions { Host = " " }],
        ["PortZero", new DlmsClientOptions { Host = "h", Port = 0 }],
        ["ShortChallenge", new DlmsClientOptions { Host = "h", ChallengeLength = 7 }],
        ["InvokeIdAbove15", new DlmsClientOptions { Host = "h", InvokeId = 16 }],
        ["TinyPdu", new DlmsClientOptions { Host = "h", ClientMaxReceivePduSize = 11 }],
        ["ZeroTimeout", new DlmsClientOptions { Host = "h", ResponseTimeout = TimeSpan.Zero }],
    ];

    [TestMethod]
    [DynamicData(nameof(InvalidOptions))]
    public void Constructor_InvalidOptions_ThrowsArgumentException(string defect, DlmsClientOptions options)
    {
        Assert.ThrowsExactly<ArgumentException>(() => new DlmsClient(options), defect);
    }

    [TestMethod]
    public void EffectiveConformance_GeneralCiphering_AddsGeneralProtection()
    {
        var options = new DlmsClientOptions { Host = "h", EncryptionKey = Ek, AuthenticationKey = Ak, ClientSystemTitle = TestKeys.ClientTitle };

        Assert.AreEqual(0x001E1Du, (uint)options.EffectiveConformance, "get, set, action, three block transfers, selective access, multiple references");
        Assert.AreEqual(0x401E1Du, (uint)(options with { CipheringForm = CipheringForm.GeneralGlobal }).EffectiveConformance);
        Assert.AreEqual(
            Conformance.Get,
            (options with { CipheringForm = CipheringForm.GeneralGlobal, EncryptionKey = null, AuthenticationKey = null, ProposedConformance = Conformance.Get }).EffectiveConformance,
            "general-protection only with ciphering");
    }

    [TestMethod]
    public void ToString_NeverShowsKeys()
    {
        var options = new DlmsClientOptions { Host = "h", EncryptionKey = Ek, AuthenticationKey = Ak, ClientSystemTitle = TestKeys.ClientTitle };
        string text = options.ToString() + new DlmsClient(options);

        Assert.DoesNotContain(TestKeys.EncryptionKeyHex, text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(TestKeys.AuthenticationKeyHex, text, StringComparison.OrdinalIgnoreCase);
    }

    [TestMethod]
    public async Task Logging_HlsAssociationAndKeyTransfer_NoKeyOrPayloadInAnyLine()
    {
        await using ScriptedServer server = ScriptedServer.Start();
        var logger = new CapturingLogger();
        await using var client = new DlmsClient(Scenario.HlsOptions(server), logger);
        using SecretKey newEk = SecretKey.FromHex(TestKeys.NewEncryptionKeyHex);
        using SecretKey kek = SecretKey.FromHex(TestKeys.KekHex);
        string secretValue = "5345435245542D56414C5545";
        var secrets = new List<string>
        {
            TestKeys.EncryptionKeyHex, TestKeys.AuthenticationKeyHex, TestKeys.NewEncryptionKeyHex,
            "1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5", secretValue,
        };

        await Scenario.RunAsync(
            async ct =>
            {
                await using var session = new FakeServerSession(await server.AcceptAsync(ct), ciphered: true);
                await session.AssociateHlsAsync(ct);
                secrets.Add(Convert.ToHexString(session.Aarq!.CallingAuthenticationValue!.Value.Span));
                secrets.Add(Convert.ToHexString(session.StoC));
                GetRequestNormal get = await session.ReceiveRequestAsync<GetRequestNormal>(ct);
                await session.ReplyAsync(new GetResponseNormal(get.InvokeIdAndPriority, GetDataResult.FromData(DlmsValue.OctetString(TestKeys.Hex(secretValue)))), ct);
                ActionRequestNormal transfer = await session.ReceiveRequestAsync<ActionRequestNormal>(ct);
                await session.ReplyAsync(new ActionResponseNormal(transfer.InvokeIdAndPriority, ActionResult.Success), ct);
                await session.Peer.ReceiveApduAsync(ct);
                await session.Peer.SendApduAsync(new RlreApdu { Reason = ReleaseResponseReason.Normal }.ToArray(), ct);
            },
            async ct =>
            {
                await client.OpenAsync(ct);
                await client.GetAsync(new CosemAttributeDescriptor(1, new ObisCode(0, 0, 42, 0, 0, 255), 2), null, ct);
                await client.KeyTransferAsync(new ObisCode(0, 0, 43, 0, 0, 255), [(0, newEk)], kek, ct);
                await client.ReleaseAsync(ct);
            });

        Assert.IsNotEmpty(logger.Entries);
        foreach ((EventId eventId, _, string message) in logger.Entries)
        {
            Assert.IsInRange(1000, 1099, eventId.Id, message);
            Assert.IsFalse(string.IsNullOrEmpty(eventId.Name), "source-generated events are named");
            foreach (string secret in secrets)
            {
                Assert.DoesNotContain(secret, message.Replace(" ", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase, $"event {eventId.Id}");
            }
        }

        CollectionAssert.IsSubsetOf(
            new[] { 1001, 1010, 1011, 1013, 1014, 1015, 1050, 1051, 1041 },
            logger.Entries.Select(e => e.EventId.Id).Distinct().ToList());
    }
}
