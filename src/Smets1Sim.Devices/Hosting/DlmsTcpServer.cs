using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Smets1Sim.Devices.Runtime;
using Smets1Sim.Devices.Server;
using Smets1Sim.Dlms;
using Smets1Sim.Dlms.Framing;

namespace Smets1Sim.Devices.Hosting;

/// <summary>Transport settings of a TCP endpoint.</summary>
public sealed record DlmsServerOptions
{
    /// <summary>Largest APDU accepted in one wrapper frame; longer declared lengths close the connection at once.</summary>
    public int MaxApduSize { get; init; } = 4096;

    /// <summary>A connection idle this long is closed (Blue Book inactivity time-out).</summary>
    public TimeSpan InactivityTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How often changed client invocation counters are flushed to storage.</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// One TCP endpoint (IEC 62056-47 wrapper) serving the logical devices of a premises (or a single device).
/// Each connection gets its own <see cref="DlmsServerSession"/>; a bad frame closes that connection only.
/// </summary>
public sealed partial class DlmsTcpServer : IAsyncDisposable
{
    private readonly IPEndPoint _endpoint;
    private readonly IReadOnlyDictionary<ushort, LogicalDevice> _devices;
    private readonly DlmsServerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _connectionsLock = new();
    private readonly HashSet<Task> _connections = [];
    private Socket? _listener;
    private Task? _acceptLoop;
    private Task? _flushLoop;

    /// <summary>Creates an endpoint; call <see cref="Start"/> to listen.</summary>
    public DlmsTcpServer(IPEndPoint endpoint, IReadOnlyDictionary<ushort, LogicalDevice> devices, DlmsServerOptions options, TimeProvider time, ILogger logger)
    {
        _endpoint = endpoint ?? throw new ArgumentNullException(nameof(endpoint));
        _devices = devices ?? throw new ArgumentNullException(nameof(devices));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>The bound address (the real port when 0 was asked for). Valid after <see cref="Start"/>.</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)(_listener?.LocalEndPoint ?? throw new InvalidOperationException("not started"));

    /// <summary>The address this endpoint was asked to bind.</summary>
    public IPEndPoint RequestedEndPoint => _endpoint;

    /// <summary>The devices behind this endpoint by wPort.</summary>
    public IReadOnlyDictionary<ushort, LogicalDevice> Devices => _devices;

    /// <summary>Number of open connections.</summary>
    public int ConnectionCount
    {
        get
        {
            lock (_connectionsLock)
            {
                return _connections.Count;
            }
        }
    }

    /// <summary>Binds and starts accepting. Throws <see cref="SocketException"/> when the address cannot be bound.</summary>
    public void Start()
    {
        var listener = new Socket(_endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(_endpoint);
            listener.Listen(512);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        _listener = listener;
        _acceptLoop = AcceptLoopAsync(_stopping.Token);
        _flushLoop = FlushLoopAsync(_stopping.Token);
    }

    /// <summary>Stops accepting, closes every connection and flushes device state.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener?.Dispose();
        Task[] pending;
        lock (_connectionsLock)
        {
            pending = [.. _connections];
        }

        await Task.WhenAll([.. pending, _acceptLoop ?? Task.CompletedTask, _flushLoop ?? Task.CompletedTask])
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        foreach (LogicalDevice device in _devices.Values)
        {
            device.FlushIfDirty();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener!.AcceptAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (stopping.IsCancellationRequested)
                {
                    return;
                }

                LogAcceptFailed(_logger, ex.Message);
                continue;
            }

            client.NoDelay = true;
            Task connection = ServeConnectionAsync(client, stopping);
            lock (_connectionsLock)
            {
                _connections.Add(connection);
            }

            _ = connection.ContinueWith(
                t =>
                {
                    lock (_connectionsLock)
                    {
                        _connections.Remove(t);
                    }
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    private async Task ServeConnectionAsync(Socket socket, CancellationToken stopping)
    {
        EndPoint? remote = socket.RemoteEndPoint;
        LogConnected(_logger, remote, LocalEndPoint.Port);
        var stream = new NetworkStream(socket, ownsSocket: true);
        PipeReader reader = PipeReader.Create(stream);
        var frames = new WrapperFrameReader(_options.MaxApduSize);
        using var session = new DlmsServerSession(_devices, _time, _logger);
        var output = new ArrayBufferWriter<byte>();
        string reason = "peer closed";
        try
        {
            while (true)
            {
                ReadResult read;
                // The idle timer runs on the injected clock, so tests and demos can advance it.
                using (var timer = new CancellationTokenSource(_options.InactivityTimeout, _time))
                using (var idle = CancellationTokenSource.CreateLinkedTokenSource(stopping, timer.Token))
                {
                    try
                    {
                        read = await reader.ReadAsync(idle.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
                    {
                        reason = "inactivity timeout";
                        return;
                    }
                }

                ReadOnlySequence<byte> buffer = read.Buffer;
                bool close = false;
                try
                {
                    while (!close && frames.TryReadFrame(ref buffer, out WrapperFrame? frame))
                    {
                        ServerReply reply = session.Handle(frame);
                        if (reply.Delay > TimeSpan.Zero)
                        {
                            await Task.Delay(reply.Delay, _time, stopping).ConfigureAwait(false);
                        }

                        if (reply.Frame is not null)
                        {
                            output.Clear();
                            reply.Frame.Encode(output);
                            await stream.WriteAsync(output.WrittenMemory, stopping).ConfigureAwait(false);
                        }

                        if (reply.Close)
                        {
                            reason = "fault injection";
                            close = true;
                        }
                    }
                }
                finally
                {
                    reader.AdvanceTo(buffer.Start, buffer.End);
                }

                if (close || read.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (DlmsProtocolException ex)
        {
            // A bad frame means the byte stream lost sync: close, never guess where the next frame starts.
            reason = $"bad frame: {ex.Message}";
        }
        catch (OperationCanceledException)
        {
            reason = "server stopping";
        }
        catch (IOException ex)
        {
            reason = ex.Message;
        }
        catch (Exception ex)
        {
            // One connection's bug must not take the endpoint down.
            LogConnectionFailed(_logger, ex);
            reason = "internal error";
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
            await stream.DisposeAsync().ConfigureAwait(false);
            LogDisconnected(_logger, remote, reason);
        }
    }

    private async Task FlushLoopAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(_options.FlushInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                foreach (LogicalDevice device in _devices.Values)
                {
                    try
                    {
                        device.FlushIfDirty();
                    }
                    catch (IOException ex)
                    {
                        LogFlushFailed(_logger, device.Identity.Id, ex.Message);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Connection from {Remote} on port {Port}")]
    private static partial void LogConnected(ILogger logger, EndPoint? remote, int port);

    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "Connection from {Remote} closed: {Reason}")]
    private static partial void LogDisconnected(ILogger logger, EndPoint? remote, string reason);

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "Accept failed: {Reason}")]
    private static partial void LogAcceptFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 203, Level = LogLevel.Error, Message = "Connection failed with an internal error")]
    private static partial void LogConnectionFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 204, Level = LogLevel.Error, Message = "{DeviceId}: storing state failed: {Reason}")]
    private static partial void LogFlushFailed(ILogger logger, string deviceId, string reason);
}
