using Microsoft.Extensions.Time.Testing;
using Smets1Sim.Client.Tests.Fakes;
using Smets1Sim.Dlms;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Framing;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Client.Tests;

[TestClass]
public sealed class ConnectionFailureTests
{
    private static readonly CosemAttributeDescriptor Clock = new(8, new ObisCode(0, 0, 1, 0, 0, 255), 2);

    [TestMethod]
    [DataRow(0, DisplayName = "BeforeAnyByte")]
    [DataRow(5, DisplayName = "InsideTheHeader")]
    [DataRow(12, DisplayName = "InsideTheApdu")]
    public async Task GetAsync_ServerClosesMidResponse_ThrowsTransientConnectionFailureAndBreaks(int bytesSent)
    {
        await using ScriptedServer server = ScriptedServer.Start();
        await using var client = new DlmsClient(server.Options());

        await Scenario.RunAsync(
            async ct =>
            {
                await using var session = new FakeServerSession(await server.AcceptAsync(ct), ciphered: false);
                await session.AssociatePublicAsync(ct);
                GetRequestNormal get = await session.ReceiveRequestAsync<GetRequestNormal>(ct);
                byte[] frame = new WrapperFrame(1, 16, new GetResponseNormal(get.InvokeIdAndPriority, GetDataResult.FromData(new DlmsUnsigned(1))).ToArray()).ToArray();
                await session.Peer.SendRawAsync(frame[..bytesSent], ct);
            },
            async ct =>
            {
                await client.OpenAsync(ct);
                DlmsConnectionException ex = await Assert.ThrowsExactlyAsync<DlmsConnectionException>(() => client.GetAsync(Clock, null, ct));
                Assert.AreEqual(DlmsFailureKind.Connection, ex.Kind);
                Assert.IsTrue(ex.IsTransient);
                Assert.IsInstanceOfType<EndOfStreamException>(ex.InnerException);
                if (bytesSent > 0)
                {
                    StringAssert.Contains(ex.Message, $"{bytesSent} bytes");
                }
            });

        Assert.IsTrue(client.IsBroken);
        Assert.IsInstanceOfType<EndOfStreamException>(client.BrokenReason);
        await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => client.GetAsync(Clock));
    }

    [TestMethod]
    public async Task GetAsync_GarbageFrame_ThrowsProtocolErrorAndBreaks()
    {
        await using ScriptedServer server = ScriptedServer.Start();
        await using var client = new DlmsClient(server.Options());

        await Scenario.RunAsync(
            async ct =>
            {
                await using var session = new FakeServerSession(await server.AcceptAsync(ct), ciphered: false);
                await session.AssociatePublicAsync(ct);
                await session.ReceiveRequestAsync<GetRequestNormal>(ct);
                await session.Peer.SendRawAsync("HTTP/1.1 400"u8.ToArray(), ct);
            },
            async ct =>
            {
                await client.OpenAsync(ct);
                await Assert.ThrowsExactlyAsync<DlmsProtocolException>(() => client.GetAsync(Clock, null, ct));
            });

        Assert.IsTrue(client.IsBroken);
    }

    [TestMethod]
    public async Task GetAsync_FrameLongerThanAccepted_ThrowsProtocolErrorAtTheHeader()
    {
        await using ScriptedServer server = ScriptedServer.Start();
        await using var client = new DlmsClient(server.Options() with { MaxReceivedApduSize = 64 });

        await Scenario.RunAsync(
            async ct =>
            {
                await using var session = new FakeServerSession(await server.AcceptAsync(ct), ciphered: false);
                await session.AssociatePublicAsync(ct);
                await session.ReceiveRequestAsync<GetRequestNormal>(ct);

                // Only the header of a 1000-byte frame: the client refuses it without waiting for the body.
                await session.Peer.SendRawAsync(new WrapperHeader(1, 16, 1000).ToArrayForTest(), ct);
            },
            async ct =>
            {
                await client.OpenAsync(ct);
                await Assert.ThrowsExactlyAsync<DlmsProtocolException>(() => client.GetAsync(Clock, null, ct));
            });
    }

    [TestMethod]
    public async Task GetAsync_CallerCancelsWhileWaiting_ThrowsCancelledAndBreaks()
    {
        await using ScriptedServer server = ScriptedServer.Start();
        await using var client = new DlmsClient(server.Options());
        using var caller = new CancellationTokenSource();
        var requestArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var clientDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        await Scenario.RunAsync(
            async ct =>
            {
                await using var session = new FakeServerSession(await server.AcceptAsync(ct), ciphered: false);
                await session.AssociatePublicAsync(ct);
                await session.ReceiveRequestAsync<GetRequestNormal>(ct);
                requestArrived.SetResult();

                // Never answers; the client closes its end once it gives up.
                Assert.IsTrue(await session.Peer.ClientClosedAsync(ct), "a broken connection is closed");
                await clientDone.Task.WaitAsync(ct);
            },
            async ct =>
            {
                await client.OpenAsync(ct);
                Task<GetDataResult> get = client.GetAsync(Clock, null, caller.Token);
                await requestArrived.Task.WaitAsync(ct);
                await caller.CancelAsync();
                await Assert.ThrowsAsync<OperationCanceledException>(() => get);
                clientDone.SetResult();
            });

        Assert.IsTrue(client.IsBroken, "a reply may still arrive: the connection is out of sync");
    }

    [TestMethod]
    public async Task GetAsync_CancelledBeforeSending_DoesNotBreak()
    {
        await using ScriptedServer server = ScriptedServer.Start();
        await using var client = new DlmsClient(server.Options());

        await Scenario.RunAsync(
            async ct =>
            {
                await using var session = new FakeServerSession(await server.AcceptAsync(ct), ciphered: false);
                await session.AssociatePublicAsync(ct);
            },
            async ct =>
            {
                await client.OpenAsync(ct);
                await Assert.ThrowsAsync<OperationCanceledException>(() => client.GetAsync(Clock, null, new CancellationToken(canceled: true)));
            });

        Assert.AreEqual(DlmsClientState.Associated, client.State);
    }

    [TestMethod]
    public async Task GetAsync_NoReplyWithinResponseTimeout_ThrowsTransientTimeoutOnTheInjectedClock()
    {
        await using ScriptedServer server = ScriptedServer.Start();
        var time = new FakeTimeProvider();
        await using var client = new DlmsClient(server.Options() with { ResponseTimeout = TimeSpan.FromSeconds(20) }, timeProvider: time);
        var requestArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        await Scenario.RunAsync(
            async ct =>
            {
                await using var session = new FakeServerSession(await server.AcceptAsync(ct), ciphered: false);
                await session.AssociatePublicAsync(ct);
                await session.ReceiveRequestAsync<GetRequestNormal>(ct);
                requestArrived.SetResult();
                Assert.IsTrue(await session.Peer.ClientClosedAsync(ct));
            },
            async ct =>
            {
                await client.OpenAsync(ct);
                Task<GetDataResult> get = client.GetAsync(Clock, null, ct);
                await requestArrived.Task.WaitAsync(ct);
                time.Advance(TimeSpan.FromSeconds(19));
                Assert.IsFalse(get.IsCompleted, "not yet: 19 of 20 seconds");
                time.Advance(TimeSpan.FromSeconds(1));
                DlmsConnectionException ex = await Assert.ThrowsExactlyAsync<DlmsConnectionException>(() => get);
                Assert.AreEqual(DlmsFailureKind.Timeout, ex.Kind);
                Assert.IsTrue(ex.IsTransient);
                Assert.IsInstanceOfType<TimeoutException>(ex.InnerException);
                StringAssert.Contains(ex.Message, "0xC0");
            });

        Assert.IsTrue(client.IsBroken);
    }

    [TestMethod]
    public async Task DisposeAsync_WhileWaiting_FailsTheCall()
    {
        await using ScriptedServer server = ScriptedServer.Start();
        var client = new DlmsClient(server.Options());
        var requestArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        await Scenario.RunAsync(
            async ct =>
            {
                await using var session = new FakeServerSession(await server.AcceptAsync(ct), ciphered: false);
                await session.AssociatePublicAsync(ct);
                await session.ReceiveRequestAsync<GetRequestNormal>(ct);
                requestArrived.SetResult();
                Assert.IsTrue(await session.Peer.ClientClosedAsync(ct));
            },
            async ct =>
            {
                await client.OpenAsync(ct);
                Task<GetDataResult> get = client.GetAsync(Clock, null, ct);
                await requestArrived.Task.WaitAsync(ct);
                await client.DisposeAsync();
                await Assert.ThrowsAsync<Exception>(() => get);
            });

        Assert.AreEqual(DlmsClientState.Disposed, client.State);
        await Assert.ThrowsExactlyAsync<ObjectDisposedException>(() => client.GetAsync(Clock));
    }

    [TestMethod]
    public async Task ConnectAsync_NothingListening_ThrowsTransientConnectionFailureWrappingTheSocketError()
    {
        int port;
        await using (ScriptedServer probe = ScriptedServer.Start())
        {
            port = probe.Port;
        }

        await using var client = new DlmsClient(new DlmsClientOptions { Host = "127.0.0.1", Port = port });
        DlmsConnectionException ex = await Assert.ThrowsExactlyAsync<DlmsConnectionException>(() => client.ConnectAsync());
        Assert.AreEqual(DlmsFailureKind.Connection, ex.Kind);
        Assert.IsTrue(ex.IsTransient);
        Assert.IsInstanceOfType<System.Net.Sockets.SocketException>(ex.InnerException);
        StringAssert.Contains(ex.Message, $"127.0.0.1:{port}");
        Assert.AreEqual(DlmsClientState.Disconnected, client.State);
    }

    [TestMethod]
    public async Task GetAsync_BeforeAssociating_ThrowsInvalidOperation()
    {
        await using var client = new DlmsClient(new DlmsClientOptions { Host = "127.0.0.1" });
        await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => client.GetAsync(Clock));
    }
}

internal static class WrapperHeaderTestExtensions
{
    public static byte[] ToArrayForTest(this WrapperHeader header)
    {
        byte[] bytes = new byte[WrapperHeader.Size];
        header.WriteTo(bytes);
        return bytes;
    }
}
