using System.Buffers;
using System.Buffers.Binary;

namespace Smets1Sim.Dlms.Primitives;

/// <summary>Big-endian writes onto an <see cref="IBufferWriter{T}"/>, shared by every encoder.</summary>
public static class DlmsWriter
{
    /// <summary>Writes one byte.</summary>
    public static void WriteByte(this IBufferWriter<byte> writer, byte value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.GetSpan(1)[0] = value;
        writer.Advance(1);
    }

    /// <summary>Writes a big-endian u16.</summary>
    public static void WriteUInt16(this IBufferWriter<byte> writer, ushort value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        BinaryPrimitives.WriteUInt16BigEndian(writer.GetSpan(2), value);
        writer.Advance(2);
    }

    /// <summary>Writes a big-endian u32.</summary>
    public static void WriteUInt32(this IBufferWriter<byte> writer, uint value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        BinaryPrimitives.WriteUInt32BigEndian(writer.GetSpan(4), value);
        writer.Advance(4);
    }

    /// <summary>Writes a big-endian u64.</summary>
    public static void WriteUInt64(this IBufferWriter<byte> writer, ulong value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        BinaryPrimitives.WriteUInt64BigEndian(writer.GetSpan(8), value);
        writer.Advance(8);
    }

    /// <summary>Writes raw bytes.</summary>
    public static void WriteBytes(this IBufferWriter<byte> writer, ReadOnlySpan<byte> value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(value);
    }

    /// <summary>Writes an A-XDR variable-length length (Green Book 9.5): short form below 0x80, else 0x8n + n bytes.</summary>
    public static void WriteAxdrLength(this IBufferWriter<byte> writer, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length < 0x80)
        {
            writer.WriteByte((byte)length);
        }
        else if (length <= 0xFF)
        {
            writer.WriteByte(0x81);
            writer.WriteByte((byte)length);
        }
        else if (length <= 0xFFFF)
        {
            writer.WriteByte(0x82);
            writer.WriteUInt16((ushort)length);
        }
        else
        {
            writer.WriteByte(0x84);
            writer.WriteUInt32((uint)length);
        }
    }

    /// <summary>Encodes with <paramref name="encode"/> into a fresh array.</summary>
    public static byte[] ToArray(Action<ArrayBufferWriter<byte>> encode)
    {
        ArgumentNullException.ThrowIfNull(encode);
        var buffer = new ArrayBufferWriter<byte>();
        encode(buffer);
        return buffer.WrittenSpan.ToArray();
    }
}
