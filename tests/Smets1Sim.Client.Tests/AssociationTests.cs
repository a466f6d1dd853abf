using Smets1Sim.Client.Tests.Fakes;
using Smets1Sim.Dlms;
using Smets1Sim.Dlms.Acse;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Security;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Client.Tests;

[TestClass]
public sealed class AssociationTests
{
    private static readonly CosemAttributeDescriptor ClockTime = new(8, new ObisCode(0, 0, 1, 0, 0, 255), 2);

    [TestMethod]
    public async Task OpenAsync_PublicClient_SendsPlainAarqAndReads()
    {
        await using ScriptedServer server = ScriptedServer.Start();
        DlmsValue clock = DlmsValue.OctetString(TestKeys.Hex("07E9010103000000FF800000"));
        await using var client = new DlmsClient(server.Options());

        await Scenario.RunAsync(
            async ct =>
            {
                await using var session = new FakeServerSession(await server.AcceptAsync(ct), ciphered: false);
                await session.AssociatePublicAsync(ct);
                Assert.AreEqual(DlmsClientOptions.PublicClientSap, session.Peer.ClientSap);
                Assert.AreEqual((ushort)1, session.Peer.ServerWPort);

                // 60 1D A1 09 06 07 60 85 74 05 08 01 01 BE 10 04 0E <InitiateRequest>: LN context, no authentication.
                Assert.AreEqual(
                    "601DA109060760857405080101BE10040E01000000065F1F0400001E1D04B0",
                    Convert.ToHexString(session.AarqBytes!));

                GetRequestNormal get = await session.ReceiveRequestAsync<GetRequestNormal>(ct);
                Assert.AreEqual(ClockTime, get.Descriptor);
                Assert.AreEqual((byte)0xC1, get.InvokeIdAndPriority.Value);
                await session.ReplyAsync(new GetResponseNormal(get.InvokeIdAndPriority, GetDataResult.FromData(clock)), ct);
            },
            async ct =>
            {
                await client.OpenAsync(ct);
                Assert.AreEqual(DlmsClientState.Associated, client.State);
                Assert.AreEqual(DlmsClientOptions.DefaultConformance, client.NegotiatedConformance);
                Assert.AreEqual((ushort)1024, client.ServerMaxReceivePduSize);
                Assert.IsNull(client.NextInvocationCounter);

                GetDataResult result = await client.GetAsync(ClockTime, null, ct);
                Assert.AreEqual(clock, result.Data);
            });
    }

    [TestMethod]
    [DataRow(CipheringForm.ServiceSpecific)]
    [DataRow(CipheringForm.GeneralGlobal)]
    public async Task AssociateAsync_HlsGmac_SendsDomainAarqLayoutAndPassesPass3(CipheringForm form)
    {
        await using ScriptedServer server = ScriptedServer.Start();
        await using var client = new DlmsClient(Scenario.HlsOptions(server, form, initialCounter: 1));
        FakeServerSession? seen = null;

        await Scenario.RunAsync(
            async ct =>
            {
                await using var session = new FakeServerSession(await server.AcceptAsync(ct), ciphered: true);
                seen = session;
                await session.AssociateHlsAsync(ct);
            },
            client.OpenAsync);

        Assert.IsNotNull(seen);
        AarqApdu aarq = seen.Aarq!;
        byte[] ctos = aarq.CallingAuthenticationValue!.Value.ToArray();
        Assert.HasCount(16, ctos, "CtoS length");

        // docs/dlms-wire.md section 3: context LN with ciphering, calling-AP-title, 8A 02 07 80, mechanism 5, CtoS, then the
        // ciphered InitiateRequest under IC 1.
        string expectedHead =
            "A109060760857405080103" + "A60A0408" + TestKeys.ClientTitle + "8A020780" + "8B0760857405080205"
            + "AC1280" + "10" + Convert.ToHexString(ctos) + "BE";
        string aarqHex = Convert.ToHexString(seen.AarqBytes!);
        Assert.StartsWith("60", aarqHex);
        Assert.AreEqual(expectedHead, aarqHex.Substring(4, expectedHead.Length));

        Conformance expectedConformance = form == CipheringForm.GeneralGlobal
            ? DlmsClientOptions.DefaultConformance | Conformance.GeneralProtection
            : DlmsClientOptions.DefaultConformance;
        byte[] plainInitiate = new InitiateRequest { ProposedConformance = expectedConformance, ClientMaxReceivePduSize = 1200 }.ToArray();
        using Suite0Cipher cipher = TestKeys.Cipher();
        CipheredApduKind kind = form == CipheringForm.GeneralGlobal ? CipheredApduKind.GeneralGlobal : CipheredApduKind.ServiceSpecificGlobal;
        byte[] sealedInitiate = CipheredApdu.Seal(cipher, kind, SecurityControl.AuthenticatedEncrypted, TestKeys.ClientTitle, 1, plainInitiate).ToArray();
        CollectionAssert.AreEqual(sealedInitiate, aarq.UserInformation!.Value.ToArray(), "user-information");
        Assert.AreEqual(form == CipheringForm.GeneralGlobal ? (byte)0xDB : (byte)0x21, sealedInitiate[0]);

        // IC n for the AARQ, n + 1 for pass 3, and f(StoC) computed with the carrying APDU's IC.
        Assert.AreEqual(1u, seen.AarqCounter);
        Assert.AreEqual(2u, seen.Pass3CarrierCounter);
        Assert.AreEqual(2u, seen.Pass3InnerCounter);
        Assert.AreEqual(form == CipheringForm.GeneralGlobal ? CipheredApduKind.GeneralGlobal : CipheredApduKind.ServiceSpecificGlobal, seen.LastRequestKind);

        Assert.AreEqual(DlmsClientState.Associated, client.State);
        Assert.AreEqual(TestKeys.ServerTitle, client.ServerSystemTitle);
        Assert.AreEqual(3u, client.NextInvocationCounter);
        Assert.AreEqual(0x01234569u, client.HighestServerInvocationCounter, "AARE under 0x01234567, f(CtoS) with 0x01234568, its carrier under 0x01234569");
    }

    [TestMethod]
    public async Task AssociateAsync_WrongPass4_ThrowsHlsAuthenticationFailedAndBreaks()
    {
        await using ScriptedServer server = ScriptedServer.Start();
        await using var client = new DlmsClient(Scenario.HlsOptions(server));

        await Scenario.RunAsync(
            async ct =>
            {
                await using var session = new FakeServerSession(await server.AcceptAsync(ct), ciphered: true);
                await session.ReceiveAarqAsync(ct);
                await session.SendHlsAareAsync(ct);
                await session.AnswerPass3Async(ct, corruptPass4: true);
            },
            async ct =>
            {
                await client.ConnectAsync(ct);
                DlmsSecurityException ex = await Assert.ThrowsExactlyAsync<DlmsSecurityException>(() => client.AssociateAsync(ct));
                Assert.AreEqual(SecurityFailure.HlsAuthenticationFailed, ex.Failure);
            });

        Assert.IsTrue(client.IsBroken);
        await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => client.GetAsync(ClockTime));
    }

    [TestMethod]
    public async Task AssociateAsync_ServerRefusesPass3_ThrowsHlsAuthenticationFailed()
    {
        await using ScriptedServer server = ScriptedServer.Start();
        await using var client = new DlmsClient(Scenario.HlsOptions(server));

        await Scenario.RunAsync(
            async ct =>
            {
                await using var session = new FakeServerSession(await server.AcceptAsync(ct), ciphered: true);
                await session.ReceiveAarqAsync(ct);
                await session.SendHlsAareAsync(ct);
                ActionRequestNormal pass3 = await session.ReceiveRequestAsync<ActionRequestNormal>(ct);
                await session.ReplyAsync(new ActionResponseNormal(pass3.InvokeIdAndPriority, ActionResult.ReadWriteDenied), ct);
            },
            async ct =>
            {
                await client.ConnectAsync(ct);
                DlmsSecurityException ex = await Assert.ThrowsExactlyAsync<DlmsSecurityException>(() => client.AssociateAsync(ct));
                Assert.AreEqual(SecurityFailure.HlsAuthenticationFailed, ex.Failure);
                StringAssert.Contains(ex.Message, "ReadWriteDenied");
            });
    }

    [TestMethod]
    public async Task AssociateAsync_AareRejected_ThrowsWithDiagnostic()
    {
        await using ScriptedServer server = ScriptedServer.Start();
        await using var client = new DlmsClient(Scenario.HlsOptions(server));

        await Scenario.RunAsync(
            async ct =>
            {
                await using var session = new FakeServerSession(await server.AcceptAsync(ct), ciphered: true);
                await session.ReceiveAarqAsync(ct);
                var aare = new AareApdu
                {
                    ApplicationContextName = ApplicationContextName.LogicalNameWithCiphering,
                    Result = AssociationResult.RejectedPermanent,
                    ServiceUserDiagnostic = AcseServiceUserDiagnostic.AuthenticationFailure,
                };
                await session.Peer.SendApduAsync(aare.ToArray(), ct);
            },
            async ct =>
            {
                await client.ConnectAsync(ct);
                DlmsAssociationException ex = await Assert.ThrowsExactlyAsync<DlmsAssociationException>(() => client.AssociateAsync(ct));
                Assert.AreEqual(AssociationResult.RejectedPermanent, ex.Result);
                Assert.AreEqual(AcseServiceUserDiagnostic.AuthenticationFailure, ex.UserDiagnostic);
                StringAssert.Contains(ex.Message, "AuthenticationFailure (13)");
            });

        Assert.AreEqual(DlmsClientState.Connected, client.State, "a refusal is a well-formed reply: the connection is not broken");
    }

    [TestMethod]
    public async Task AssociateAsync_InitiateRefused_ThrowsWithInitiateError()
    {
        await using ScriptedServer server = ScriptedServer.Start();
        await using var client = new DlmsClient(server.Options());

        await Scenario.RunAsync(
            async ct =>
            {
                await using var session = new FakeServerSession(await server.AcceptAsync(ct), ciphered: false);
                await session.ReceiveAarqAsync(ct);
                var aare = new AareApdu
                {
                    ApplicationContextName = ApplicationContextName.LogicalName,
                    Result = AssociationResult.RejectedPermanent,
                    ServiceUserDiagnostic = AcseServiceUserDiagnostic.NoReasonGiven,
                    UserInformation = ConfirmedServiceError.ForInitiate(InitiateError.PduSizeTooShort).ToArray(),
                };
                await session.Peer.SendApduAsync(aare.ToArray(), ct);
            },
            async ct =>
            {
                await client.ConnectAsync(ct);
                DlmsAssociationException ex = await Assert.ThrowsExactlyAsync<DlmsAssociationException>(() => client.AssociateAsync(ct));
                Assert.AreEqual(InitiateError.PduSizeTooShort, ex.InitiateError?.InitiateError);
            });
    }

    [TestMethod]
    public async Task AssociateAsync_UnexpectedServerTitle_ThrowsSystemTitleMismatch()
    {
        await using ScriptedServer server = ScriptedServer.Start();
        await using var client = new DlmsClient(Scenario.HlsOptions(server) with { ExpectedServerSystemTitle = SystemTitle.Parse("4D4D4D0000000099") });

        await Scenario.RunAsync(
            async ct =>
            {
                await using var session = new FakeServerSession(await server.AcceptAsync(ct), ciphered: true);
                await session.ReceiveAarqAsync(ct);
                await session.SendHlsAareAsync(ct);
            },
            async ct =>
            {
                await client.ConnectAsync(ct);
                DlmsSecurityException ex = await Assert.ThrowsExactlyAsync<DlmsSecurityException>(() => client.AssociateAsync(ct));
                Assert.AreEqual(SecurityFailure.SystemTitleMismatch, ex.Failure);
            });

        Assert.IsTrue(client.IsBroken);
    }

    [TestMethod]
    public async Task AssociateAsync_PlainInitiateResponseInCipheredAssociation_IsRefused()
    {
        await using ScriptedServer server = ScriptedServer.Start();
        await using var client = new DlmsClient(Scenario.HlsOptions(server));

        await Scenario.RunAsync(
            async ct =>
            {
                await using var session = new FakeServerSession(await server.AcceptAsync(ct), ciphered: true);
                await session.ReceiveAarqAsync(ct);
                var aare = new AareApdu
                {
                    ApplicationContextName = ApplicationContextName.LogicalNameWithCiphering,
                    Result = AssociationResult.Accepted,
                    ServiceUserDiagnostic = AcseServiceUserDiagnostic.AuthenticationRequired,
                    RespondingApTitle = TestKeys.ServerTitle.ToArray(),
                    MechanismName = AuthenticationMechanism.HlsGmac,
                    RespondingAuthenticationValue = session.StoC,
                    UserInformation = new InitiateResponse { NegotiatedConformance = Conformance.Get, ServerMaxReceivePduSize = 512 }.ToArray(),
                };
                await session.Peer.SendApduAsync(aare.ToArray(), ct);
            },
            async ct =>
            {
                await client.ConnectAsync(ct);
                DlmsSecurityException ex = await Assert.ThrowsExactlyAsync<DlmsSecurityException>(() => client.AssociateAsync(ct));
                Assert.AreEqual(SecurityFailure.UnsupportedProtection, ex.Failure);
            });
    }

    [TestMethod]
    public async Task AssociateAsync_Lls_SendsPasswordAndMechanism1()
    {
        await using ScriptedServer server = ScriptedServer.Start();
        byte[] password = "12345678"u8.ToArray();
        await using var client = new DlmsClient(server.Options(clientSap: 17) with
        {
            Mechanism = AuthenticationMechanism.Lls,
            LlsPassword = password,
        });
        AarqApdu? aarq = null;

        await Scenario.RunAsync(
            async ct =>
            {
                await using var session = new FakeServerSession(await server.AcceptAsync(ct), ciphered: false);
                await session.AssociatePublicAsync(ct);
                aarq = session.Aarq;
            },
            client.OpenAsync);

        Assert.AreEqual(AuthenticationMechanism.Lls, aarq!.MechanismName);
        Assert.IsTrue(aarq.SenderAcseRequirements);
        CollectionAssert.AreEqual(password, aarq.CallingAuthenticationValue!.Value.ToArray());
        Assert.AreEqual(ApplicationContextName.LogicalName, aarq.ApplicationContextName);
    }

    [TestMethod]
    public async Task ConnectAsync_TwoClients_EachOpenTheirOwnConnectionToOneEndpoint()
    {
        await using ScriptedServer server = ScriptedServer.Start();
        await using var first = new DlmsClient(server.Options());
        await using var second = new DlmsClient(server.Options(clientSap: 16, serverWPort: 2));

        await Scenario.RunAsync(
            async ct =>
            {
                // Accept both before answering either: the two associations are open at once.
                ServerPeer a = await server.AcceptAsync(ct);
                ServerPeer b = await server.AcceptAsync(ct);
                await using var sessionA = new FakeServerSession(a, ciphered: false);
                await using var sessionB = new FakeServerSession(b, ciphered: false);
                await Task.WhenAll(Serve(sessionA, ct), Serve(sessionB, ct));
            },
            async ct =>
            {
                await Task.WhenAll(first.OpenAsync(ct), second.OpenAsync(ct));
                GetDataResult[] results = await Task.WhenAll(first.GetAsync(ClockTime, null, ct), second.GetAsync(ClockTime, null, ct));
                Assert.AreEqual(new DlmsLongUnsigned(1), results[0].Data);
                Assert.AreEqual(new DlmsLongUnsigned(2), results[1].Data);
            });

        static async Task Serve(FakeServerSession session, CancellationToken ct)
        {
            await session.AssociatePublicAsync(ct);
            GetRequestNormal get = await session.ReceiveRequestAsync<GetRequestNormal>(ct);
            await session.ReplyAsync(
                new GetResponseNormal(get.InvokeIdAndPriority, GetDataResult.FromData(new DlmsLongUnsigned(session.Peer.ServerWPort))), ct);
        }
    }
}
