using System.Buffers;
using Smets1Sim.Dlms.Primitives;

namespace Smets1Sim.Dlms.Acse;

/// <summary>
/// The subset of BER (ITU-T X.690) that ACSE APDUs need: one-byte identifiers, definite lengths, INTEGER.
/// Decoding works on a <see cref="DlmsReader"/> so that every defect carries its absolute offset. A read that
/// fails does not advance the reader: composite reads work on a copy and commit it only when every check passed.
/// </summary>
/// <remarks>
/// An element is drawn once here:
/// <code>
/// +-----+------------------------------+---------------------+
/// | tag | length                       | content             |
/// | 1   | 0..7F | 81 nn | 82 nnnn | .. | 'length' bytes      |
/// +-----+------------------------------+---------------------+
/// </code>
/// </remarks>
internal static class Ber
{
    /// <summary>UNIVERSAL 2, INTEGER.</summary>
    public const byte IntegerTag = 0x02;

    /// <summary>UNIVERSAL 4, OCTET STRING.</summary>
    public const byte OctetStringTag = 0x04;

    /// <summary>UNIVERSAL 6, OBJECT IDENTIFIER.</summary>
    public const byte ObjectIdentifierTag = 0x06;

    // X.690 8.1.3.5: the long form carries at most 4 length octets here; more could not describe an input
    // that fits in memory anyway.
    private const int MaxLengthOctets = 4;

    // INTEGER values in ACSE (results, diagnostics, reasons, invocation ids) fit in 32 bits.
    private const int MaxIntegerOctets = 4;

    /// <summary>True when the next byte is <paramref name="tag"/>.</summary>
    public static bool NextTagIs(ref DlmsReader reader, byte tag) => !reader.End && reader.RemainingSpan[0] == tag;

    /// <summary>
    /// Reads one element with identifier <paramref name="tag"/> and returns a reader over its content only, so a
    /// child can never run past its parent. Rejects the indefinite form and lengths that overrun the bytes left.
    /// </summary>
    public static DlmsReader ReadElement(ref DlmsReader reader, byte tag, string what)
    {
        ReadOnlySpan<byte> rest = reader.RemainingSpan;
        if (rest.IsEmpty)
        {
            throw reader.Error($"truncated: expected {what}");
        }

        if (rest[0] != tag)
        {
            throw reader.Error($"bad tag for {what}: expected 0x{tag:X2}, got 0x{rest[0]:X2}");
        }

        int start = reader.AbsolutePosition;
        int contentLength = ParseLength(rest, start, what, out int headerLength);
        ReadOnlySpan<byte> element = reader.ReadBytes(headerLength + contentLength, what);
        return new DlmsReader(element[headerLength..], start + headerLength);
    }

    /// <summary>Reads a primitive element and copies its content (bounded by the input, so by the length check).</summary>
    public static byte[] ReadPrimitiveContent(ref DlmsReader reader, byte tag, string what)
    {
        DlmsReader content = ReadElement(ref reader, tag, what);
        return content.RemainingSpan.ToArray();
    }

    /// <summary>
    /// Reads an INTEGER (X.690 8.3) carried under <paramref name="tag"/> (UNIVERSAL 2, or an IMPLICIT context tag):
    /// 1 to 4 content octets, two's complement, minimal (8.3.2: the first nine bits are never all equal).
    /// </summary>
    public static int ReadInteger(ref DlmsReader reader, byte tag, string what)
    {
        int start = reader.AbsolutePosition;
        DlmsReader probe = reader;
        DlmsReader content = ReadElement(ref probe, tag, what);
        ReadOnlySpan<byte> bytes = content.RemainingSpan;
        if (bytes.IsEmpty)
        {
            throw new DlmsProtocolException($"empty INTEGER for {what}", start + 1);
        }

        if (bytes.Length > MaxIntegerOctets)
        {
            throw new DlmsProtocolException($"INTEGER for {what} has {bytes.Length} octets, at most {MaxIntegerOctets} allowed", start + 1);
        }

        if (bytes.Length > 1 && ((bytes[0] == 0x00 && bytes[1] < 0x80) || (bytes[0] == 0xFF && bytes[1] >= 0x80)))
        {
            throw new DlmsProtocolException($"INTEGER for {what} is not minimally encoded", content.BaseOffset);
        }

        int value = (sbyte)bytes[0];
        for (int i = 1; i < bytes.Length; i++)
        {
            value = (value << 8) | bytes[i];
        }

        reader = probe;
        return value;
    }

    /// <summary>Bytes the shortest definite length form takes for <paramref name="length"/> (X.690 8.1.3).</summary>
    public static int LengthSize(int length) => length switch
    {
        < 0 => throw new ArgumentOutOfRangeException(nameof(length)),
        < 0x80 => 1,
        <= 0xFF => 2,
        <= 0xFFFF => 3,
        <= 0xFF_FFFF => 4,
        _ => 5,
    };

    /// <summary>Size of a whole element (identifier, length, content) with a one-byte identifier.</summary>
    public static int ElementSize(int contentLength) => 1 + LengthSize(contentLength) + contentLength;

    /// <summary>Writes an identifier and the shortest definite length for <paramref name="contentLength"/>.</summary>
    public static void WriteHeader(IBufferWriter<byte> writer, byte tag, int contentLength)
    {
        writer.WriteByte(tag);
        int size = LengthSize(contentLength);
        if (size == 1)
        {
            writer.WriteByte((byte)contentLength);
            return;
        }

        int octets = size - 1;
        writer.WriteByte((byte)(0x80 | octets));
        for (int shift = 8 * (octets - 1); shift >= 0; shift -= 8)
        {
            writer.WriteByte((byte)(contentLength >> shift));
        }
    }

    /// <summary>Writes a primitive element.</summary>
    public static void WritePrimitive(IBufferWriter<byte> writer, byte tag, ReadOnlySpan<byte> content)
    {
        WriteHeader(writer, tag, content.Length);
        writer.WriteBytes(content);
    }

    /// <summary>Content octets of the minimal two's-complement encoding of <paramref name="value"/> (X.690 8.3.2).</summary>
    public static int IntegerContentSize(int value) => value switch
    {
        >= sbyte.MinValue and <= sbyte.MaxValue => 1,
        >= short.MinValue and <= short.MaxValue => 2,
        >= -0x80_0000 and <= 0x7F_FFFF => 3,
        _ => 4,
    };

    /// <summary>Writes an INTEGER element under <paramref name="tag"/> in its minimal form.</summary>
    public static void WriteInteger(IBufferWriter<byte> writer, byte tag, int value)
    {
        int size = IntegerContentSize(value);
        WriteHeader(writer, tag, size);
        for (int shift = 8 * (size - 1); shift >= 0; shift -= 8)
        {
            writer.WriteByte((byte)(value >> shift));
        }
    }

    // X.690 8.1.3: short form (bit 8 clear), long form 0x81..0x84 followed by that many big-endian octets.
    // 0x80 is the indefinite form (8.1.3.6), which ACSE for DLMS never uses and which we refuse.
    private static int ParseLength(ReadOnlySpan<byte> element, int elementOffset, string what, out int headerLength)
    {
        int lengthOffset = elementOffset + 1;
        if (element.Length < 2)
        {
            throw new DlmsProtocolException($"truncated: length of {what}", lengthOffset);
        }

        byte first = element[1];
        long length;
        if (first < 0x80)
        {
            headerLength = 2;
            length = first;
        }
        else if (first == 0x80)
        {
            throw new DlmsProtocolException($"indefinite length is not allowed for {what}", lengthOffset);
        }
        else
        {
            int octets = first & 0x7F;
            if (octets > MaxLengthOctets)
            {
                throw new DlmsProtocolException($"unsupported length form 0x{first:X2} for {what}", lengthOffset);
            }

            headerLength = 2 + octets;
            if (element.Length < headerLength)
            {
                throw new DlmsProtocolException($"truncated: length of {what}", lengthOffset);
            }

            length = 0;
            foreach (byte b in element.Slice(2, octets))
            {
                length = (length << 8) | b;
            }
        }

        int remaining = element.Length - headerLength;
        if (length > remaining)
        {
            throw new DlmsProtocolException($"truncated: {what} declares {length} bytes, {remaining} remain", lengthOffset);
        }

        return (int)length;
    }
}
