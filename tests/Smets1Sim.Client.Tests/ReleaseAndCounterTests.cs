using Smets1Sim.Client.Tests.Fakes;
using Smets1Sim.Dlms;
using Smets1Sim.Dlms.Acse;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Security;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Client.Tests;

[TestClass]
public sealed class ReleaseAndCounterTests
{
    private static readonly CosemAttributeDescriptor Clock = new(8, new ObisCode(0, 0, 1, 0, 0, 255), 2);

    [TestMethod]
    public async Task ReleaseAsync_Ciphered_SendsCipheredInitiateAndCloses()
    {
        await using ScriptedServer server = ScriptedServer.Start();
        await using var client = new DlmsClient(Scenario.HlsOptions(server));
        RlrqApdu? rlrq = null;
        InitiateRequest? released = null;
        uint releaseCounter = 0;

        await Scenario.RunAsync(
            async ct =>
            {
                await using var session = new FakeServerSession(await server.AcceptAsync(ct), ciphered: true);
                await session.AssociateHlsAsync(ct);
                byte[] bytes = await session.Peer.ReceiveApduAsync(ct);
                Assert.AreEqual((byte)0x62, bytes[0]);
                rlrq = RlrqApdu.Decode(bytes);
                released = InitiateRequest.Decode(session.ReceivedPlain(rlrq.UserInformation!.Value.ToArray()));
                releaseCounter = session.LastRequestCounter;
                byte[] initiate = session.ReplyBytes(new InitiateResponse { NegotiatedConformance = Conformance.Get, ServerMaxReceivePduSize = 1024 }.ToArray());
                await session.Peer.SendApduAsync(new RlreApdu { Reason = ReleaseResponseReason.Normal, UserInformation = initiate }.ToArray(), ct);
                Assert.IsTrue(await session.Peer.ClientClosedAsync(ct), "the client closes the TCP connection after the release");
            },
            async ct =>
            {
                await client.OpenAsync(ct);
                await client.ReleaseAsync(ct);
            });

        Assert.AreEqual(ReleaseRequestReason.Normal, rlrq!.Reason);
        Assert.AreEqual((ushort)1200, released!.ClientMaxReceivePduSize);
        Assert.AreEqual(3u, releaseCounter, "AARQ 1, pass 3 2, RLRQ 3");
        Assert.AreEqual(DlmsClientState.Disconnected, client.State);
        Assert.AreEqual(4u, client.NextInvocationCounter);
        Assert.AreEqual(0x0123456Au, client.HighestServerInvocationCounter, "the RLRE's ciphered InitiateResponse was checked too");
    }

    [TestMethod]
    public async Task ReleaseAsync_Public_SendsBareRlrq()
    {
        await using ScriptedServer server = ScriptedServer.Start();
        await using var client = new DlmsClient(server.Options());
        byte[]? rlrq = null;

        await Scenario.RunAsync(
            async ct =>
            {
                await using var session = new FakeServerSession(await server.AcceptAsync(ct), ciphered: false);
                await session.AssociatePublicAsync(ct);
                rlrq = await session.Peer.ReceiveApduAsync(ct);
                await session.Peer.SendApduAsync(new RlreApdu { Reason = ReleaseResponseReason.Normal }.ToArray(), ct);
            },
            async ct =>
            {
                await client.OpenAsync(ct);
                await client.ReleaseAsync(ct);
            });

        Assert.AreEqual("6203800100", Convert.ToHexString(rlrq!));
    }

    [TestMethod]
    [DataRow("Close", DisplayName = "ServerJustCloses")]
    [DataRow("630580010000", DisplayName = "RlreWithWrongLength")]
    public async Task ReleaseAsync_SloppyServer_IsTolerated(string answer)
    {
        await using ScriptedServer server = ScriptedServer.Start();
        await using var client = new DlmsClient(server.Options());

        await Scenario.RunAsync(
            async ct =>
            {
                await using var session = new FakeServerSession(await server.AcceptAsync(ct), ciphered: false);
                await session.AssociatePublicAsync(ct);
                await session.Peer.ReceiveApduAsync(ct);
                if (answer != "Close")
                {
                    await session.Peer.SendApduAsync(TestKeys.Hex(answer), ct);
                }
            },
            async ct =>
            {
                await client.OpenAsync(ct);
                await client.ReleaseAsync(ct);
            });

        Assert.AreEqual(DlmsClientState.Disconnected, client.State);
    }

    [TestMethod]
    public async Task OpenAsync_AfterRelease_ContinuesTheInvocationCounter()
    {
        await using ScriptedServer server = ScriptedServer.Start();
        await using var client = new DlmsClient(Scenario.HlsOptions(server, initialCounter: 100));
        var aarqCounters = new List<uint?>();

        await Scenario.RunAsync(
            async ct =>
            {
                await using (var session = new FakeServerSession(await server.AcceptAsync(ct), ciphered: true) { NextServerCounter = 0x10 })
                {
                    await session.AssociateHlsAsync(ct);
                    aarqCounters.Add(session.AarqCounter);
                    await session.Peer.ReceiveApduAsync(ct);
                    await session.Peer.SendApduAsync(new RlreApdu { Reason = ReleaseResponseReason.Normal }.ToArray(), ct);
                }

                await using (var session = new FakeServerSession(await server.AcceptAsync(ct), ciphered: true) { NextServerCounter = 0x10 })
                {
                    await session.ReceiveAarqAsync(ct);
                    aarqCounters.Add(session.AarqCounter);
                    await session.SendHlsAareAsync(ct);
                    Assert.IsTrue(await session.Peer.ClientClosedAsync(ct), "the client drops the connection after the replay");
                }
            },
            async ct =>
            {
                await client.OpenAsync(ct);
                await client.ReleaseAsync(ct);
                Assert.AreEqual(103u, client.NextInvocationCounter);
                Assert.AreEqual(0x12u, client.HighestServerInvocationCounter);

                // A server that restarts its own counter under the same key is a replay: the second AARE is refused.
                await client.ConnectAsync(ct);
                DlmsSecurityException ex = await Assert.ThrowsExactlyAsync<DlmsSecurityException>(() => client.AssociateAsync(ct));
                Assert.AreEqual(SecurityFailure.Replay, ex.Failure);
            });

        Assert.AreEqual(100u, aarqCounters[0]);
        Assert.AreEqual(103u, aarqCounters[1]);
    }

    [TestMethod]
    public async Task ReadNextInvocationCounterAsync_PublicClientReadsValuePlusOne()
    {
        await using ScriptedServer server = ScriptedServer.Start();
        CosemAttributeDescriptor? read = null;
        ushort clientSap = 0;
        uint next = 0;

        await Scenario.RunAsync(
            async ct =>
            {
                await using var session = new FakeServerSession(await server.AcceptAsync(ct), ciphered: false);
                await ServeCounterAsync(session, 41, ct);
                read = session.LastGet;
                clientSap = session.Peer.ClientSap;
            },
            async ct => next = await DlmsClient.ReadNextInvocationCounterAsync(Scenario.HlsOptions(server), cancellationToken: ct));

        Assert.AreEqual(42u, next);
        Assert.AreEqual(DlmsClientOptions.PublicClientSap, clientSap);
        Assert.AreEqual(new CosemAttributeDescriptor(1, new ObisCode(0, 0, 43, 1, 0, 255), 2), read);
    }

    [TestMethod]
    public async Task ConnectAsync_NoInitialCounter_ReadsItOverThePublicClientFirst()
    {
        await using ScriptedServer server = ScriptedServer.Start();
        await using var client = new DlmsClient(Scenario.HlsOptions(server, initialCounter: null));
        uint? aarqCounter = null;

        await Scenario.RunAsync(
            async ct =>
            {
                await using (var counterSession = new FakeServerSession(await server.AcceptAsync(ct), ciphered: false))
                {
                    await ServeCounterAsync(counterSession, 0x00ABCDEF, ct);
                }

                await using var session = new FakeServerSession(await server.AcceptAsync(ct), ciphered: true);
                await session.AssociateHlsAsync(ct);
                aarqCounter = session.AarqCounter;
                Assert.AreEqual(DlmsClientOptions.ManagementClientSap, session.Peer.ClientSap);
            },
            async ct =>
            {
                Assert.IsNull(client.NextInvocationCounter);
                await client.OpenAsync(ct);
            });

        Assert.AreEqual(0x00ABCDF0u, aarqCounter);
        Assert.AreEqual(0x00ABCDF2u, client.NextInvocationCounter);
    }

    [TestMethod]
    public async Task ReadNextInvocationCounterAsync_ExhaustedCounter_ThrowsInvocationCounterExhausted()
    {
        await using ScriptedServer server = ScriptedServer.Start();

        await Scenario.RunAsync(
            async ct =>
            {
                await using var session = new FakeServerSession(await server.AcceptAsync(ct), ciphered: false);
                await ServeCounterAsync(session, uint.MaxValue, ct);
            },
            async ct =>
            {
                DlmsSecurityException ex = await Assert.ThrowsExactlyAsync<DlmsSecurityException>(
                    () => DlmsClient.ReadNextInvocationCounterAsync(server.Options(), cancellationToken: ct));
                Assert.AreEqual(SecurityFailure.InvocationCounterExhausted, ex.Failure);
            });
    }

    [TestMethod]
    public async Task ReadNextInvocationCounterAsync_ReadDenied_ThrowsDataAccessException()
    {
        await using ScriptedServer server = ScriptedServer.Start();

        await Scenario.RunAsync(
            async ct =>
            {
                await using var session = new FakeServerSession(await server.AcceptAsync(ct), ciphered: false);
                await session.AssociatePublicAsync(ct);
                GetRequestNormal get = await session.ReceiveRequestAsync<GetRequestNormal>(ct);
                await session.ReplyAsync(new GetResponseNormal(get.InvokeIdAndPriority, GetDataResult.FromError(DataAccessResult.ReadWriteDenied)), ct);
            },
            async ct =>
            {
                DlmsDataAccessException ex = await Assert.ThrowsExactlyAsync<DlmsDataAccessException>(
                    () => DlmsClient.ReadNextInvocationCounterAsync(server.Options(), cancellationToken: ct));
                Assert.AreEqual(DataAccessResult.ReadWriteDenied, ex.Result);
            });
    }

    private static async Task ServeCounterAsync(FakeServerSession session, uint value, CancellationToken ct)
    {
        await session.AssociatePublicAsync(ct);
        GetRequestNormal get = await session.ReceiveRequestAsync<GetRequestNormal>(ct);
        session.LastGet = get.Descriptor;
        await session.ReplyAsync(new GetResponseNormal(get.InvokeIdAndPriority, GetDataResult.FromData(new DlmsDoubleLongUnsigned(value))), ct);
        byte[] rlrq = await session.Peer.ReceiveApduAsync(ct);
        Assert.AreEqual((byte)0x62, rlrq[0]);
        await session.Peer.SendApduAsync(new RlreApdu { Reason = ReleaseResponseReason.Normal }.ToArray(), ct);
        Assert.IsTrue(await session.Peer.ClientClosedAsync(ct));
    }
}
