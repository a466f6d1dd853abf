using System.Buffers.Binary;

namespace Smets1Sim.Dlms.Primitives;

/// <summary>
/// A forward-only big-endian reader over a span that reports every defect as a
/// <see cref="DlmsProtocolException"/> carrying the absolute offset. <see cref="BaseOffset"/> lets a decoder
/// that was handed a slice still report offsets relative to the outer buffer.
/// A read that fails does not advance <see cref="Position"/>.
/// </summary>
public ref struct DlmsReader
{
    private readonly ReadOnlySpan<byte> _buffer;

    /// <summary>Creates a reader; <paramref name="baseOffset"/> is added to every reported offset.</summary>
    public DlmsReader(ReadOnlySpan<byte> buffer, int baseOffset = 0)
    {
        _buffer = buffer;
        BaseOffset = baseOffset;
        Position = 0;
    }

    /// <summary>Offset of this reader's buffer inside the outermost input.</summary>
    public int BaseOffset { get; }

    /// <summary>Bytes consumed so far.</summary>
    public int Position { get; private set; }

    /// <summary>Absolute offset of the next byte, for error messages.</summary>
    public readonly int AbsolutePosition => BaseOffset + Position;

    /// <summary>Bytes left.</summary>
    public readonly int Remaining => _buffer.Length - Position;

    /// <summary>True when every byte has been read.</summary>
    public readonly bool End => Position >= _buffer.Length;

    /// <summary>The unread bytes.</summary>
    public readonly ReadOnlySpan<byte> RemainingSpan => _buffer[Position..];

    /// <summary>
    /// Moves back to an earlier <paramref name="position"/> (e.g. the start of a field that failed a check),
    /// so that a failed read leaves the reader where it started.
    /// </summary>
    public void Rewind(int position)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(position, Position);
        Position = position;
    }

    /// <summary>Throws a protocol exception at the current position.</summary>
    public readonly DlmsProtocolException Error(string reason) => new(reason, AbsolutePosition);

    /// <summary>Returns the next byte without consuming it.</summary>
    public readonly byte PeekByte(string what)
    {
        if (Position >= _buffer.Length)
        {
            throw Error($"truncated: expected {what}");
        }

        return _buffer[Position];
    }

    /// <summary>Reads one byte.</summary>
    public byte ReadByte(string what)
    {
        byte b = PeekByte(what);
        Position++;
        return b;
    }

    /// <summary>Reads a big-endian u16.</summary>
    public ushort ReadUInt16(string what) => BinaryPrimitives.ReadUInt16BigEndian(ReadBytes(2, what));

    /// <summary>Reads a big-endian u32.</summary>
    public uint ReadUInt32(string what) => BinaryPrimitives.ReadUInt32BigEndian(ReadBytes(4, what));

    /// <summary>Reads a big-endian u64.</summary>
    public ulong ReadUInt64(string what) => BinaryPrimitives.ReadUInt64BigEndian(ReadBytes(8, what));

    /// <summary>Reads exactly <paramref name="count"/> bytes; fails before advancing if fewer remain.</summary>
    public ReadOnlySpan<byte> ReadBytes(int count, string what)
    {
        if (count < 0)
        {
            throw Error($"negative length for {what}");
        }

        if (count > Remaining)
        {
            throw Error($"truncated: {what} needs {count} bytes, {Remaining} remain");
        }

        ReadOnlySpan<byte> slice = _buffer.Slice(Position, count);
        Position += count;
        return slice;
    }

    /// <summary>
    /// Reads an A-XDR variable-length length (IEC 61334-6 / Green Book 9.5): one byte 0..0x7F, or 0x8n followed
    /// by n big-endian bytes (n = 1..4). The length is checked against <paramref name="max"/> and against the
    /// bytes left when <paramref name="mustFitRemaining"/> is set, before the caller allocates anything.
    /// </summary>
    public int ReadAxdrLength(string what, int max = int.MaxValue, bool mustFitRemaining = true)
    {
        int start = Position;
        byte first = ReadByte($"length of {what}");
        long length;
        if (first < 0x80)
        {
            length = first;
        }
        else
        {
            int n = first & 0x7F;
            if (n is 0 or > 4)
            {
                Position = start;
                throw Error($"bad length-of-length 0x{first:X2} for {what}");
            }

            if (n > Remaining)
            {
                Position = start;
                throw Error($"truncated: length of {what}");
            }

            length = 0;
            foreach (byte b in ReadBytes(n, what))
            {
                length = (length << 8) | b;
            }
        }

        if (length > max)
        {
            Position = start;
            throw Error($"{what} length {length} exceeds the limit {max}");
        }

        if (mustFitRemaining && length > Remaining)
        {
            Position = start;
            throw Error($"truncated: {what} declares {length} bytes, {Remaining} remain");
        }

        return (int)length;
    }

    /// <summary>Reads a tag byte and checks it against the expected value.</summary>
    public void Expect(byte expected, string what)
    {
        byte actual = PeekByte(what);
        if (actual != expected)
        {
            throw Error($"bad tag for {what}: expected 0x{expected:X2}, got 0x{actual:X2}");
        }

        Position++;
    }

    /// <summary>Throws unless every byte was consumed.</summary>
    public readonly void ExpectEnd(string what)
    {
        if (!End)
        {
            throw Error($"{Remaining} unexpected trailing bytes after {what}");
        }
    }
}
