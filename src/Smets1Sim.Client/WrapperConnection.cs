using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Smets1Sim.Dlms;
using Smets1Sim.Dlms.Framing;

namespace Smets1Sim.Client;

/// <summary>
/// One TCP connection carrying IEC 62056-47 wrapper frames: sends a frame, receives the next whole frame. Knows nothing
/// of associations or security; <see cref="DlmsClient"/> checks the ports and the APDU. Frames are cut with
/// <see cref="WrapperFrameReader"/> over a <see cref="PipeReader"/>, so a declared length above the limit is refused as
/// soon as the header arrives. One send and one receive may run at a time; the client serialises its calls.
/// </summary>
public sealed class WrapperConnection : IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly PipeReader _reader;
    private readonly WrapperFrameReader _frameReader;
    private int _disposed;

    /// <summary>Wraps an already connected stream (a socket stream, or an in-memory pipe in tests); takes ownership of it.</summary>
    /// <param name="stream">The connected byte stream.</param>
    /// <param name="maxApduLength">The longest APDU a received frame may declare, 1..65535.</param>
    public WrapperConnection(Stream stream, int maxApduLength)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _frameReader = new WrapperFrameReader(maxApduLength);
        _reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
    }

    /// <summary>Opens a TCP connection to <paramref name="host"/>:<paramref name="port"/> with Nagle off (one frame per request).</summary>
    /// <exception cref="SocketException">The connection could not be made.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired first.</exception>
    public static async Task<WrapperConnection> ConnectAsync(string host, int port, int maxApduLength, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
            return new WrapperConnection(new NetworkStream(socket, ownsSocket: true), maxApduLength);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Writes one frame and flushes it.</summary>
    public async Task SendAsync(WrapperFrame frame, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await _stream.WriteAsync(frame.ToArray(), cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits for the next whole frame.</summary>
    /// <exception cref="DlmsProtocolException">The bytes are not a wrapper frame, or it declares too long an APDU.</exception>
    /// <exception cref="EndOfStreamException">The peer closed the connection, possibly in the middle of a frame.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired first.</exception>
    public async Task<WrapperFrame> ReceiveAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        while (true)
        {
            ReadResult result = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = result.Buffer;
            bool complete;
            WrapperFrame? frame;
            try
            {
                complete = _frameReader.TryReadFrame(ref buffer, out frame);
            }
            catch
            {
                // The stream has lost sync; release the buffer so disposal does not trip over a pending read.
                _reader.AdvanceTo(buffer.Start, buffer.End);
                throw;
            }

            if (complete)
            {
                _reader.AdvanceTo(buffer.Start);
                return frame!;
            }

            long pending = buffer.Length;
            _reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCanceled)
            {
                throw new OperationCanceledException("the frame read was cancelled", cancellationToken);
            }

            if (result.IsCompleted)
            {
                throw new EndOfStreamException(pending == 0
                    ? "the peer closed the connection"
                    : $"the peer closed the connection in the middle of a frame ({pending} bytes of it received)");
            }
        }
    }

    /// <summary>Closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Wake a receive still waiting (it reports cancellation), then close the socket under it.
        _reader.CancelPendingRead();
        await _stream.DisposeAsync().ConfigureAwait(false);
        try
        {
            await _reader.CompleteAsync().ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // A receive on another thread still holds the reader; the closed stream ends it.
        }
    }
}
