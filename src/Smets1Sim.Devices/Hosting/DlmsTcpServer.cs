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

    /// <summary>Most connections open at once on this endpoint; more are accepted and closed at once.</summary>
    public int MaxConnections { get; init; } = 64;

    /// <summary>
    /// Once the first byte of a frame has arrived, the whole frame must arrive within this time; a peer dripping bytes
    /// into a frame that never completes is closed (the inactivity time-out alone never fires on it).
    /// </summary>
    public TimeSpan FrameDeadline { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>At most one log line per this interval for refused connections and failing accepts.</summary>
    public TimeSpan FloodLogInterval { get; init; } = TimeSpan.FromSeconds(10);
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
    private readonly ConnectionLimit _endpointLimit;
    private readonly ConnectionLimit? _processLimit;
    private readonly LogThrottle _refusedLog;
    private readonly LogThrottle _acceptFailedLog;
    private Socket? _listener;
    private Task? _acceptLoop;
    private Task? _flushLoop;

    /// <summary>Creates an endpoint; call <see cref="Start"/> to listen.</summary>
    /// <param name="endpoint">Address to bind.</param>
    /// <param name="devices">The logical devices by wPort.</param>
    /// <param name="options">Transport settings.</param>
    /// <param name="time">The clock of every time-out.</param>
    /// <param name="logger">Where connection events go.</param>
    /// <param name="processLimit">A ceiling shared with the other endpoints of the process, or null.</param>
    public DlmsTcpServer(IPEndPoint endpoint, IReadOnlyDictionary<ushort, LogicalDevice> devices, DlmsServerOptions options, TimeProvider time, ILogger logger, ConnectionLimit? processLimit = null)
    {
        _endpoint = endpoint ?? throw new ArgumentNullException(nameof(endpoint));
        _devices = devices ?? throw new ArgumentNullException(nameof(devices));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _endpointLimit = new ConnectionLimit(options.MaxConnections);
        _processLimit = processLimit;
        _refusedLog = new LogThrottle(options.FloodLogInterval, time);
        _acceptFailedLog = new LogThrottle(options.FloodLogInterval, time);
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

    // The accept loop waits this long after the first failure that is not about one connection, doubling up to
    // MaxAcceptBackoff: out of file descriptors, the listening socket stays readable and a loop without a pause
    // spins a core and writes a log line per turn.
    private static readonly TimeSpan FirstAcceptBackoff = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaxAcceptBackoff = TimeSpan.FromSeconds(1);

    private async Task AcceptLoopAsync(CancellationToken stopping)
    {
        TimeSpan backoff = TimeSpan.Zero;
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener!.AcceptAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException || stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionAborted or SocketError.ConnectionReset or SocketError.Interrupted)
            {
                continue; // that one peer gave up before we took it: nothing to wait for
            }
            catch (SocketException ex)
            {
                // EMFILE/ENFILE (TooManyOpenSockets), ENOBUFS, ENOMEM: resources run out for the whole process.
                if (_acceptFailedLog.TryEnter(out int heldBack))
                {
                    LogAcceptFailed(_logger, ex.SocketErrorCode, ex.Message, heldBack);
                }

                backoff = backoff == TimeSpan.Zero ? FirstAcceptBackoff : TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxAcceptBackoff.Ticks));
                try
                {
                    await Task.Delay(backoff, _time, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            backoff = TimeSpan.Zero;
            if (TryCount() is ConnectionLimit full)
            {
                // Refused politely: accepted and closed at once (a FIN, no data), so the peer learns now instead of
                // waiting in the listen backlog for its own time-out, and the backlog keeps draining.
                client.Dispose();
                if (_refusedLog.TryEnter(out int heldBack))
                {
                    LogRefused(_logger, full == _endpointLimit ? "this endpoint's" : "the process's", full.Max, heldBack);
                }

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
                    // Slots first: once ConnectionCount drops, a new connection finds its slot free.
                    _processLimit?.Release();
                    _endpointLimit.Release();
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

    // Takes a slot of both limits, or none; returns the limit that is full, or null when the connection is counted.
    private ConnectionLimit? TryCount()
    {
        if (!_endpointLimit.TryAcquire())
        {
            return _endpointLimit;
        }

        if (_processLimit is not null && !_processLimit.TryAcquire())
        {
            _endpointLimit.Release();
            return _processLimit;
        }

        return null;
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
        DateTimeOffset? frameStarted = null;
        try
        {
            while (true)
            {
                ReadResult read;
                // One timer per read, on the injected clock (tests and demos advance it): the inactivity time-out,
                // or what is left of the frame deadline when a frame has started and that comes first.
                TimeSpan wait = _options.InactivityTimeout;
                bool frameDue = false;
                if (frameStarted is DateTimeOffset started)
                {
                    TimeSpan left = _options.FrameDeadline - (_time.GetUtcNow() - started);
                    if (left <= TimeSpan.Zero)
                    {
                        reason = "frame not completed within the frame deadline";
                        return;
                    }

                    if (left < wait)
                    {
                        (wait, frameDue) = (left, true);
                    }
                }

                using (var timer = new CancellationTokenSource(wait, _time))
                using (var idle = CancellationTokenSource.CreateLinkedTokenSource(stopping, timer.Token))
                {
                    try
                    {
                        read = await reader.ReadAsync(idle.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
                    {
                        reason = frameDue ? "frame not completed within the frame deadline" : "inactivity timeout";
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
                    // Bytes left over are the start of a frame: its deadline runs from when they first arrived.
                    frameStarted = buffer.IsEmpty ? null : frameStarted ?? _time.GetUtcNow();
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

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "Accept failed: {Error}: {Reason}; backing off ({HeldBack} more failures since the last line)")]
    private static partial void LogAcceptFailed(ILogger logger, SocketError error, string reason, int heldBack);

    [LoggerMessage(EventId = 205, Level = LogLevel.Warning, Message = "Connection refused: {Whose} limit of {Max} connections is reached ({HeldBack} more refused since the last line)")]
    private static partial void LogRefused(ILogger logger, string whose, int max, int heldBack);

    [LoggerMessage(EventId = 203, Level = LogLevel.Error, Message = "Connection failed with an internal error")]
    private static partial void LogConnectionFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 204, Level = LogLevel.Error, Message = "{DeviceId}: storing state failed: {Reason}")]
    private static partial void LogFlushFailed(ILogger logger, string deviceId, string reason);
}
