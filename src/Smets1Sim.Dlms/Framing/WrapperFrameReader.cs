using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Smets1Sim.Dlms.Framing;

/// <summary>
/// Cuts IEC 62056-47 wrapper frames out of a byte stream, in the shape a <c>PipeReader</c> loop wants:
/// <see cref="TryReadFrame"/> returns false while a frame is incomplete and leaves the buffer alone, so the caller
/// can mark everything examined and wait for more bytes. The header is validated as soon as its bytes are there,
/// before the body is waited for, so a peer cannot make the connection buffer 64 KiB that will be refused anyway.
/// Stateless apart from the limit; one instance may serve many connections.
/// </summary>
public sealed class WrapperFrameReader
{
    private const int VersionOffset = 0;
    private const int LengthOffset = 6;

    /// <summary>Creates a reader that refuses APDUs longer than <paramref name="maxApduLength"/>.</summary>
    /// <param name="maxApduLength">1..65535; typically the negotiated or configured maximum PDU size.</param>
    public WrapperFrameReader(int maxApduLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxApduLength, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxApduLength, ushort.MaxValue);
        MaxApduLength = maxApduLength;
    }

    /// <summary>The largest APDU length a header may declare.</summary>
    public int MaxApduLength { get; }

    /// <summary>
    /// Reads one frame from the start of <paramref name="buffer"/>. On success the APDU is copied out (the frame
    /// does not alias pipe memory) and <paramref name="buffer"/> is sliced past the frame; call again to read
    /// frames that arrived in the same read.
    /// </summary>
    /// <returns>False when the frame is not complete yet; <paramref name="buffer"/> is then unchanged.</returns>
    /// <exception cref="DlmsProtocolException">
    /// The version is not 0x0001, the declared length is zero or exceeds <see cref="MaxApduLength"/>. Thrown as soon
    /// as the offending header field has arrived; the stream has lost sync and the connection must be closed.
    /// </exception>
    public bool TryReadFrame(ref ReadOnlySequence<byte> buffer, [NotNullWhen(true)] out WrapperFrame? frame)
    {
        frame = null;
        Span<byte> headerBytes = stackalloc byte[WrapperHeader.Size];
        int available = (int)Math.Min(buffer.Length, WrapperHeader.Size);
        buffer.Slice(0, available).CopyTo(headerBytes);

        // Check the version as soon as its two bytes are in: a peer that speaks something else (HDLC, TLS, HTTP)
        // is refused at once instead of after it has sent six more bytes.
        if (available >= 2)
        {
            ushort version = BinaryPrimitives.ReadUInt16BigEndian(headerBytes);
            if (version != WrapperHeader.SupportedVersion)
            {
                throw new DlmsProtocolException(
                    $"unsupported wrapper version 0x{version:X4}, expected 0x{WrapperHeader.SupportedVersion:X4}",
                    VersionOffset);
            }
        }

        if (!WrapperHeader.TryRead(headerBytes[..available], out WrapperHeader header))
        {
            return false;
        }

        if (header.Length == 0)
        {
            // Every xDLMS/ACSE APDU has at least a tag byte; an empty frame is a peer defect, not a keep-alive.
            throw new DlmsProtocolException("wrapper frame declares a zero-length APDU", LengthOffset);
        }

        if (header.Length > MaxApduLength)
        {
            throw new DlmsProtocolException(
                $"wrapper frame declares {header.Length} APDU bytes, the limit is {MaxApduLength}", LengthOffset);
        }

        long frameLength = WrapperHeader.Size + header.Length;
        if (buffer.Length < frameLength)
        {
            return false;
        }

        byte[] apdu = buffer.Slice(WrapperHeader.Size, header.Length).ToArray();
        frame = new WrapperFrame(header.SourceWPort, header.DestinationWPort, apdu);
        buffer = buffer.Slice(frameLength);
        return true;
    }
}
