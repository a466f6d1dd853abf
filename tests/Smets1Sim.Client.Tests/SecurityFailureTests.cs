using Smets1Sim.Client.Tests.Fakes;
using Smets1Sim.Dlms;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Security;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Client.Tests;

[TestClass]
public sealed class SecurityFailureTests
{
    private static readonly CosemAttributeDescriptor Clock = new(8, new ObisCode(0, 0, 1, 0, 0, 255), 2);

    [TestMethod]
    [DataRow(CipheringForm.ServiceSpecific)]
    [DataRow(CipheringForm.GeneralGlobal)]
    public async Task GetAsync_ReplayedReply_ThrowsReplayAndBreaks(CipheringForm form)
    {
        await using ScriptedServer server = ScriptedServer.Start();
        await using var client = new DlmsClient(Scenario.HlsOptions(server, form));

        await Scenario.RunAsync(
            async ct =>
            {
                await using var session = new FakeServerSession(await server.AcceptAsync(ct), ciphered: true);
                await session.AssociateHlsAsync(ct);
                GetRequestNormal get = await session.ReceiveRequestAsync<GetRequestNormal>(ct);
                byte[] reply = session.ReplyBytes(new GetResponseNormal(get.InvokeIdAndPriority, GetDataResult.FromData(new DlmsUnsigned(1))).ToArray());
                await session.Peer.SendApduAsync(reply, ct);

                // The second GET is answered with the very same ciphered APDU: a valid tag, an IC already used.
                await session.ReceiveRequestAsync<GetRequestNormal>(ct);
                await session.Peer.SendApduAsync(reply, ct);
            },
            async ct =>
            {
                await client.OpenAsync(ct);
                Assert.AreEqual(new DlmsUnsigned(1), (await client.GetAsync(Clock, null, ct)).Data);
                DlmsSecurityException ex = await Assert.ThrowsExactlyAsync<DlmsSecurityException>(() => client.GetAsync(Clock, null, ct));
                Assert.AreEqual(SecurityFailure.Replay, ex.Failure);
            });

        Assert.IsTrue(client.IsBroken);
        InvalidOperationException refused = await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => client.GetAsync(Clock));
        Assert.IsInstanceOfType<DlmsSecurityException>(refused.InnerException);
    }

    [TestMethod]
    [DataRow(2, DisplayName = "SecurityControl")]
    [DataRow(5, DisplayName = "InvocationCounter")]
    [DataRow(8, DisplayName = "Ciphertext")]
    [DataRow(-1, DisplayName = "Tag")]
    public async Task GetAsync_TamperedReply_ThrowsAndBreaks(int offset)
    {
        await using ScriptedServer server = ScriptedServer.Start();
        await using var client = new DlmsClient(Scenario.HlsOptions(server));

        await Scenario.RunAsync(
            async ct =>
            {
                await using var session = new FakeServerSession(await server.AcceptAsync(ct), ciphered: true);
                await session.AssociateHlsAsync(ct);
                GetRequestNormal get = await session.ReceiveRequestAsync<GetRequestNormal>(ct);
                byte[] reply = session.ReplyBytes(new GetResponseNormal(get.InvokeIdAndPriority, GetDataResult.FromData(new DlmsUnsigned(1))).ToArray());
                reply[offset < 0 ? reply.Length + offset : offset] ^= 0x01;
                await session.Peer.SendApduAsync(reply, ct);
            },
            async ct =>
            {
                await client.OpenAsync(ct);
                DlmsSecurityException ex = await Assert.ThrowsExactlyAsync<DlmsSecurityException>(() => client.GetAsync(Clock, null, ct));
                Assert.IsTrue(
                    ex.Failure is SecurityFailure.AuthenticationFailed or SecurityFailure.UnsupportedProtection,
                    $"{ex.Failure}: flipping SC 0x30 to 0x31 asks for suite 1, everything else breaks the tag");
            });

        Assert.IsTrue(client.IsBroken);
        Assert.AreEqual(0x01234569u, client.HighestServerInvocationCounter, "a forged IC never reaches the replay guard");
    }

    [TestMethod]
    public async Task GetAsync_PlainReplyInCipheredAssociation_IsRefused()
    {
        await using ScriptedServer server = ScriptedServer.Start();
        await using var client = new DlmsClient(Scenario.HlsOptions(server));

        await Scenario.RunAsync(
            async ct =>
            {
                await using var session = new FakeServerSession(await server.AcceptAsync(ct), ciphered: true);
                await session.AssociateHlsAsync(ct);
                GetRequestNormal get = await session.ReceiveRequestAsync<GetRequestNormal>(ct);
                await session.Peer.SendApduAsync(new GetResponseNormal(get.InvokeIdAndPriority, GetDataResult.FromData(new DlmsUnsigned(1))).ToArray(), ct);
            },
            async ct =>
            {
                await client.OpenAsync(ct);
                DlmsSecurityException ex = await Assert.ThrowsExactlyAsync<DlmsSecurityException>(() => client.GetAsync(Clock, null, ct));
                Assert.AreEqual(SecurityFailure.UnsupportedProtection, ex.Failure);
            });
    }

    [TestMethod]
    [DataRow((ushort)2, (ushort)16, DisplayName = "WrongSource")]
    [DataRow((ushort)1, (ushort)17, DisplayName = "WrongDestination")]
    [DataRow((ushort)16, (ushort)1, DisplayName = "NotSwapped")]
    public async Task GetAsync_ReplyWithWrongWPorts_ThrowsProtocolErrorAndBreaks(ushort source, ushort destination)
    {
        await using ScriptedServer server = ScriptedServer.Start();
        await using var client = new DlmsClient(server.Options());

        await Scenario.RunAsync(
            async ct =>
            {
                await using var session = new FakeServerSession(await server.AcceptAsync(ct), ciphered: false);
                await session.AssociatePublicAsync(ct);
                GetRequestNormal get = await session.ReceiveRequestAsync<GetRequestNormal>(ct);
                byte[] reply = new GetResponseNormal(get.InvokeIdAndPriority, GetDataResult.FromData(new DlmsUnsigned(1))).ToArray();
                await session.Peer.SendApduAsync(reply, ct, source, destination);
            },
            async ct =>
            {
                await client.OpenAsync(ct);
                DlmsProtocolException ex = await Assert.ThrowsExactlyAsync<DlmsProtocolException>(() => client.GetAsync(Clock, null, ct));
                StringAssert.Contains(ex.Message, "wPort");
            });

        Assert.IsTrue(client.IsBroken);
        await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => client.GetAsync(Clock));
    }

    [TestMethod]
    public async Task GetAsync_InvocationCounterError_SurfacesExpectedCounterAndStaysUsable()
    {
        await using ScriptedServer server = ScriptedServer.Start();
        await using var client = new DlmsClient(Scenario.HlsOptions(server));

        await Scenario.RunAsync(
            async ct =>
            {
                await using var session = new FakeServerSession(await server.AcceptAsync(ct), ciphered: true);
                await session.AssociateHlsAsync(ct);
                await session.ReceiveRequestAsync<GetRequestNormal>(ct);

                // D8 01 06 <expected IC>: sent in clear, as a server that refuses an IC cannot trust the sender.
                var refusal = new ExceptionResponse
                {
                    StateError = ExceptionStateError.ServiceNotAllowed,
                    ServiceError = ExceptionServiceError.InvocationCounterError,
                    ExpectedInvocationCounter = 0x00001000,
                };
                Assert.AreEqual("D8010600001000", Convert.ToHexString(refusal.ToArray()));
                await session.Peer.SendApduAsync(refusal.ToArray(), ct);

                GetRequestNormal again = await session.ReceiveRequestAsync<GetRequestNormal>(ct);
                await session.ReplyAsync(new GetResponseNormal(again.InvokeIdAndPriority, GetDataResult.FromData(new DlmsUnsigned(9))), ct);
            },
            async ct =>
            {
                await client.OpenAsync(ct);
                DlmsServiceException ex = await Assert.ThrowsExactlyAsync<DlmsServiceException>(() => client.GetAsync(Clock, null, ct));
                Assert.AreEqual(0x00001000u, ex.ExpectedInvocationCounter);
                Assert.AreEqual(ExceptionServiceError.InvocationCounterError, ex.ExceptionResponse?.ServiceError);
                StringAssert.Contains(ex.Message, "4096");

                Assert.AreEqual(DlmsClientState.Associated, client.State);
                Assert.AreEqual(new DlmsUnsigned(9), (await client.GetAsync(Clock, null, ct)).Data);
            });
    }

    [TestMethod]
    public async Task GetAsync_CipheredConfirmedServiceError_ThrowsServiceException()
    {
        await using ScriptedServer server = ScriptedServer.Start();
        await using var client = new DlmsClient(Scenario.HlsOptions(server));

        await Scenario.RunAsync(
            async ct =>
            {
                await using var session = new FakeServerSession(await server.AcceptAsync(ct), ciphered: true);
                await session.AssociateHlsAsync(ct);
                await session.ReceiveRequestAsync<GetRequestNormal>(ct);
                var error = new ConfirmedServiceError { Service = ConfirmedServiceErrorChoice.Read, ErrorType = ServiceErrorType.Access, Value = 1 };
                await session.ReplyAsync(error, ct);
            },
            async ct =>
            {
                await client.OpenAsync(ct);
                DlmsServiceException ex = await Assert.ThrowsExactlyAsync<DlmsServiceException>(() => client.GetAsync(Clock, null, ct));
                Assert.AreEqual(ServiceErrorType.Access, ex.ConfirmedServiceError?.ErrorType);
                Assert.IsNull(ex.ExpectedInvocationCounter);
            });
    }

    [TestMethod]
    public async Task GetAsync_UnsolicitedEventNotification_IsSkipped()
    {
        await using ScriptedServer server = ScriptedServer.Start();
        await using var client = new DlmsClient(server.Options());

        await Scenario.RunAsync(
            async ct =>
            {
                await using var session = new FakeServerSession(await server.AcceptAsync(ct), ciphered: false);
                await session.AssociatePublicAsync(ct);
                GetRequestNormal get = await session.ReceiveRequestAsync<GetRequestNormal>(ct);

                // C2 00 <descriptor> <value>: event-notification without a time, pushed before the reply.
                byte[] notification = TestKeys.Hex("C2 00 0001 0000600B00FF 02 1101");
                await session.Peer.SendApduAsync(notification, ct);
                await session.ReplyAsync(new GetResponseNormal(get.InvokeIdAndPriority, GetDataResult.FromData(new DlmsUnsigned(3))), ct);
            },
            async ct =>
            {
                await client.OpenAsync(ct);
                Assert.AreEqual(new DlmsUnsigned(3), (await client.GetAsync(Clock, null, ct)).Data);
            });
    }

    [TestMethod]
    [DataRow("4D4D4D0000BC614E", true, DisplayName = "ServerTitle")]
    [DataRow("4D4D4D0000BC614F", false, DisplayName = "OtherTitle")]
    public async Task GetAsync_GeneralGloReplyToGloRequest_AcceptedOnlyFromTheServerTitle(string senderHex, bool accepted)
    {
        await using ScriptedServer server = ScriptedServer.Start();
        await using var client = new DlmsClient(Scenario.HlsOptions(server, CipheringForm.ServiceSpecific));
        SystemTitle sender = SystemTitle.Parse(senderHex);

        await Scenario.RunAsync(
            async ct =>
            {
                await using var session = new FakeServerSession(await server.AcceptAsync(ct), ciphered: true);
                await session.AssociateHlsAsync(ct);
                GetRequestNormal get = await session.ReceiveRequestAsync<GetRequestNormal>(ct);
                Assert.AreEqual(CipheredApduKind.ServiceSpecificGlobal, session.LastRequestKind);
                byte[] plain = new GetResponseNormal(get.InvokeIdAndPriority, GetDataResult.FromData(new DlmsUnsigned(4))).ToArray();
                using Suite0Cipher cipher = TestKeys.Cipher();
                byte[] reply = CipheredApdu.Seal(cipher, CipheredApduKind.GeneralGlobal, SecurityControl.AuthenticatedEncrypted, sender, session.NextServerCounter++, plain).ToArray();
                await session.Peer.SendApduAsync(reply, ct);
            },
            async ct =>
            {
                await client.OpenAsync(ct);
                if (accepted)
                {
                    Assert.AreEqual(new DlmsUnsigned(4), (await client.GetAsync(Clock, null, ct)).Data);
                }
                else
                {
                    DlmsSecurityException ex = await Assert.ThrowsExactlyAsync<DlmsSecurityException>(() => client.GetAsync(Clock, null, ct));
                    Assert.AreEqual(SecurityFailure.SystemTitleMismatch, ex.Failure);
                }
            });

        Assert.AreEqual(!accepted, client.IsBroken);
    }
}
