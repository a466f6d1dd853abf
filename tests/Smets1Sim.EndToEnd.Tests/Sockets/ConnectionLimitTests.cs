using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Smets1Sim.Client;
using Smets1Sim.Client.Tests.Fakes;
using Smets1Sim.Devices.Hosting;
using Smets1Sim.Devices.Runtime;
using Smets1Sim.Devices.Tests.Server;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.EndToEnd.Tests.Sockets;

/// <summary>Connection caps and the frame deadline, on real loopback sockets.</summary>
[TestClass]
public sealed class ConnectionLimitTests
{
    public TestContext TestContext { get; set; } = null!;

    /// <summary>A fake clock that says when a timer was armed, so a test advances it only once the server waits.</summary>
    private sealed class SignallingClock : FakeTimeProvider
    {
        private readonly Channel<bool> _armed = Channel.CreateUnbounded<bool>();

        public Task NextTimerAsync(CancellationToken ct) => _armed.Reader.ReadAsync(ct).AsTask();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            ITimer timer = base.CreateTimer(callback, state, dueTime, period);
            _armed.Writer.TryWrite(true);
            return timer;
        }
    }

    private static DlmsTcpServer Start(LogicalDevice device, DlmsServerOptions options, TimeProvider time, ILogger logger, ConnectionLimit? processLimit = null)
    {
        var server = new DlmsTcpServer(new IPEndPoint(IPAddress.Loopback, 0), new Dictionary<ushort, LogicalDevice> { [2] = device }, options, time, logger, processLimit);
        server.Start();
        return server;
    }

    private static DlmsClient PublicClient(DlmsTcpServer server)
        => new(new DlmsClientOptions { Host = "127.0.0.1", Port = server.LocalEndPoint.Port, ClientSap = 16, ServerWPort = 2 });

    private async Task AssertClosedAtOnceAsync(DlmsTcpServer server)
    {
        using var refused = new TcpClient();
        await refused.ConnectAsync(IPAddress.Loopback, server.LocalEndPoint.Port, TestContext.CancellationToken);
        Assert.AreEqual(0, await refused.GetStream().ReadAsync(new byte[8], TestContext.CancellationToken), "accepted and closed without a byte");
    }

    [TestMethod]
    public async Task Endpoint_AtItsConnectionLimit_RefusesPolitelyAndServesOnceASlotFrees()
    {
        CancellationToken ct = TestContext.CancellationToken;
        var logger = new CapturingLogger();
        using LogicalDevice device = TestDevice.Create();
        await using DlmsTcpServer server = Start(device, new DlmsServerOptions { MaxConnections = 2 }, TimeProvider.System, logger);
        var attribute = new CosemAttributeDescriptor(1, TestDevice.DataObis, 2);
        DlmsClient first = PublicClient(server);
        await first.OpenAsync(ct);
        await using DlmsClient second = PublicClient(server);
        await second.OpenAsync(ct);

        await AssertClosedAtOnceAsync(server);
        await AssertClosedAtOnceAsync(server);
        Assert.AreEqual(new DlmsVisibleString("hello"), await second.GetValueAsync(attribute, ct), "the connections in use are untouched");
        Assert.ContainsSingle(logger.Entries.Where(e => e.EventId.Id == 205), "one line per interval, however many are refused");

        await first.DisposeAsync();
        while (server.ConnectionCount > 1)
        {
            await Task.Yield();
        }

        await using DlmsClient third = PublicClient(server);
        await third.OpenAsync(ct);
        Assert.AreEqual(new DlmsVisibleString("hello"), await third.GetValueAsync(attribute, ct));
    }

    [TestMethod]
    public async Task Process_LimitSharedByEndpoints_RefusesOnTheOtherEndpoint()
    {
        CancellationToken ct = TestContext.CancellationToken;
        var shared = new ConnectionLimit(1);
        using LogicalDevice a = TestDevice.Create();
        using LogicalDevice b = TestDevice.Create();
        await using DlmsTcpServer one = Start(a, new DlmsServerOptions(), TimeProvider.System, new CapturingLogger(), shared);
        await using DlmsTcpServer two = Start(b, new DlmsServerOptions(), TimeProvider.System, new CapturingLogger(), shared);
        await using DlmsClient client = PublicClient(one);
        await client.OpenAsync(ct);

        await AssertClosedAtOnceAsync(two);
        Assert.AreEqual(1, shared.Count);
    }

    [TestMethod]
    public async Task Drip_OneByteASecondIntoAFrame_ClosedAtTheFrameDeadlineNotTheIdleTimeout()
    {
        CancellationToken ct = TestContext.CancellationToken;
        var clock = new SignallingClock();
        var logger = new CapturingLogger();
        using LogicalDevice device = TestDevice.Create();
        await using DlmsTcpServer server = Start(device, new DlmsServerOptions { FrameDeadline = TimeSpan.FromSeconds(10), InactivityTimeout = TimeSpan.FromMinutes(2) }, clock, logger);
        await clock.NextTimerAsync(ct); // the flush loop's timer
        using var peer = new TcpClient();
        await peer.ConnectAsync(IPAddress.Loopback, server.LocalEndPoint.Port, ct);
        NetworkStream stream = peer.GetStream();
        await clock.NextTimerAsync(ct); // the first read waits
        Task<int> closed = stream.ReadAsync(new byte[8], ct).AsTask();
        DateTimeOffset start = clock.GetUtcNow();

        // Header of a 4000-byte APDU (version 1, wPorts 16 -> 2), then its body, one byte per simulated second.
        byte[] frame = [0x00, 0x01, 0x00, 0x10, 0x00, 0x02, 0x0F, 0xA0, .. new byte[4000]];
        int sent = 0;
        while (!closed.IsCompleted && sent < frame.Length)
        {
            try
            {
                await stream.WriteAsync(frame.AsMemory(sent++, 1), ct);
            }
            catch (IOException)
            {
                break;
            }

            await Task.WhenAny(clock.NextTimerAsync(ct), closed);
            if (!closed.IsCompleted)
            {
                clock.Advance(TimeSpan.FromSeconds(1));
            }
        }

        Assert.AreEqual(0, await closed.ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : 0, TaskScheduler.Default));
        Assert.IsLessThan(20, sent, "closed after about 10 bytes, long before the frame could complete");
        Assert.AreEqual(TimeSpan.FromSeconds(10), clock.GetUtcNow() - start);
        Assert.ContainsSingle(logger.Entries.Where(e => e.EventId.Id == 201 && e.Message.Contains("frame deadline", StringComparison.Ordinal)));
    }
}
