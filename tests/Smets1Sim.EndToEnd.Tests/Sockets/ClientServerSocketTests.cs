using System.Net;
using Smets1Sim.Client;
using Smets1Sim.Devices.Hosting;
using Smets1Sim.Devices.Runtime;
using Smets1Sim.Devices.Tests.Server;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Security;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.EndToEnd.Tests.Sockets;

/// <summary>Our client against our server over real loopback sockets (port 0).</summary>
[TestClass]
public sealed class ClientServerSocketTests : LoggedServerTests
{
    private const string NewEk = "00112233445566778899AABBCCDDEEFF";

    public TestContext TestContext { get; set; } = null!;

    private async Task<DlmsTcpServer> StartAsync(LogicalDevice device)
    {
        var server = new DlmsTcpServer(
            new IPEndPoint(IPAddress.Loopback, 0),
            new Dictionary<ushort, LogicalDevice> { [device.Identity.WPort] = device },
            new DlmsServerOptions(),
            TimeProvider.System,
            Log.Logger);
        server.Start();
        await Task.CompletedTask;
        return server;
    }

    private static DlmsClientOptions Management(DlmsTcpServer server, string ek, uint ic) => new()
    {
        Host = "127.0.0.1",
        Port = server.LocalEndPoint.Port,
        ClientSap = 1,
        ServerWPort = 2,
        Mechanism = Dlms.Acse.AuthenticationMechanism.HlsGmac,
        ClientSystemTitle = SystemTitle.Parse("4D4D4D0000000001"),
        EncryptionKey = SecretKey.FromHex(ek),
        AuthenticationKey = SecretKey.FromHex(TestDevice.Ak),
        InitialInvocationCounter = ic,
    };

    [TestMethod]
    public async Task Client_ReadsCounter_Associates_RotatesKey_AndReassociatesWithNewKey()
    {
        Log.Expect(110);
        CancellationToken ct = TestContext.CancellationToken;
        using LogicalDevice device = TestDevice.Create();
        await using DlmsTcpServer server = await StartAsync(device);

        DlmsClientOptions probe = Management(server, TestDevice.Ek, 0);
        uint next = await DlmsClient.ReadNextInvocationCounterAsync(probe, cancellationToken: ct);
        Assert.AreEqual(1u, next);

        await using (var client = new DlmsClient(probe with { InitialInvocationCounter = next }))
        {
            await client.OpenAsync(ct);
            Assert.AreEqual(TestDevice.ServerTitle, client.ServerSystemTitle);
            Assert.AreEqual(new DlmsVisibleString("hello"), await client.GetValueAsync(new CosemAttributeDescriptor(1, TestDevice.DataObis, 2), ct));
            using SecretKey newEk = SecretKey.FromHex(NewEk);
            using SecretKey kek = SecretKey.FromHex(TestDevice.Kek);
            ActionInvocationResult result = await client.KeyTransferAsync(TestDevice.SecuritySetupObis, [(DlmsClient.GlobalUnicastEncryptionKeyId, newEk)], kek, ct);
            Assert.IsTrue(result.IsSuccess);
            await client.ReleaseAsync(ct);
        }

        await using (var client = new DlmsClient(Management(server, NewEk, 0)))
        {
            await client.OpenAsync(ct);
            Assert.AreEqual(new DlmsVisibleString("hello"), await client.GetValueAsync(new CosemAttributeDescriptor(1, TestDevice.DataObis, 2), ct));
            await client.ReleaseAsync(ct);
        }

        await using (var stale = new DlmsClient(Management(server, TestDevice.Ek, 1000)))
        {
            await Assert.ThrowsExactlyAsync<DlmsAssociationException>(() => stale.OpenAsync(ct));
        }
    }

    [TestMethod]
    public async Task Client_GeneralGloCiphering_LargeValueOverBlocks()
    {
        CancellationToken ct = TestContext.CancellationToken;
        byte[] big = new byte[5000];
        new Random(5).NextBytes(big);
        using LogicalDevice device = TestDevice.Create(dataValue: DlmsValue.OctetString(big));
        await using DlmsTcpServer server = await StartAsync(device);
        await using var client = new DlmsClient(Management(server, TestDevice.Ek, 0) with { CipheringForm = CipheringForm.GeneralGlobal, ClientMaxReceivePduSize = 256 });
        await client.OpenAsync(ct);
        Assert.AreEqual(DlmsValue.OctetString(big), await client.GetValueAsync(new CosemAttributeDescriptor(1, TestDevice.DataObis, 2), ct));
        Assert.AreEqual(DataAccessResult.Success, await client.SetAsync(new CosemAttributeDescriptor(1, TestDevice.DataObis, 2), DlmsValue.OctetString(big.AsSpan(0, 1500)), cancellationToken: ct));
        Assert.AreEqual(DlmsValue.OctetString(big.AsSpan(0, 1500)), await client.GetValueAsync(new CosemAttributeDescriptor(1, TestDevice.DataObis, 2), ct));
    }
}

/// <summary>Transport behaviour of the TCP host on real sockets, timed by a fake clock.</summary>
[TestClass]
public sealed class TcpHostTests : LoggedServerTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task IdleConnection_ClosedAfterInactivityTimeout_OnTheInjectedClock()
    {
        CancellationToken ct = TestContext.CancellationToken;
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        using LogicalDevice device = TestDevice.Create();
        await using var server = new DlmsTcpServer(
            new IPEndPoint(IPAddress.Loopback, 0),
            new Dictionary<ushort, LogicalDevice> { [2] = device },
            new DlmsServerOptions { InactivityTimeout = TimeSpan.FromSeconds(30) },
            clock,
            Log.Logger);
        server.Start();
        using var socket = new System.Net.Sockets.TcpClient();
        await socket.ConnectAsync(IPAddress.Loopback, server.LocalEndPoint.Port, ct);
        while (server.ConnectionCount == 0)
        {
            await Task.Yield();
        }

        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.AreEqual(1, server.ConnectionCount, "not idle long enough yet");
        clock.Advance(TimeSpan.FromSeconds(2));
        byte[] buffer = new byte[1];
        using var read = CancellationTokenSource.CreateLinkedTokenSource(ct);
        read.CancelAfter(TimeSpan.FromSeconds(20));
        int n = await socket.GetStream().ReadAsync(buffer, read.Token);
        Assert.AreEqual(0, n, "the server closed the idle connection");
    }

    [TestMethod]
    public async Task BadFrame_ClosesThatConnectionOnly()
    {
        CancellationToken ct = TestContext.CancellationToken;
        using LogicalDevice device = TestDevice.Create();
        await using var server = new DlmsTcpServer(new IPEndPoint(IPAddress.Loopback, 0), new Dictionary<ushort, LogicalDevice> { [2] = device }, new DlmsServerOptions(), TimeProvider.System, Log.Logger);
        server.Start();
        using var bad = new System.Net.Sockets.TcpClient();
        await bad.ConnectAsync(IPAddress.Loopback, server.LocalEndPoint.Port, ct);
        // Version 2 wrapper header: the stream lost sync, the connection is closed without an answer.
        await bad.GetStream().WriteAsync(Convert.FromHexString("00020010000200050102030405"), ct);
        Assert.AreEqual(0, await bad.GetStream().ReadAsync(new byte[8], ct));

        await using var client = new DlmsClient(new DlmsClientOptions { Host = "127.0.0.1", Port = server.LocalEndPoint.Port, ClientSap = 16, ServerWPort = 2 });
        await client.OpenAsync(ct);
        Assert.AreEqual(new DlmsVisibleString("hello"), await client.GetValueAsync(new CosemAttributeDescriptor(1, TestDevice.DataObis, 2), ct));
    }
}
