using System.Buffers;
using Smets1Sim.Dlms.Primitives;

namespace Smets1Sim.Dlms.Acse;

/// <summary>
/// The conformance block inside the A-XDR Initiate APDUs is the one BER-encoded field there (Green Book:
/// "Conformance ::= [APPLICATION 31] IMPLICIT BIT STRING (SIZE(24))"):
/// <c>5F 1F | 04 (length) | 00 (unused bits) | 3 bytes</c>.
/// </summary>
internal static class ConformanceBlock
{
    // 5F = application class, primitive, high-tag-number form; 1F = tag number 31.
    private const byte TagClassByte = 0x5F;
    private const byte TagNumberByte = 0x1F;
    private const byte ContentLength = 4;

    /// <summary>Encoded size: tag (2), length (1), unused-bits byte (1), 3 bytes of bits.</summary>
    public const int EncodedSize = 7;

    /// <summary>Refuses, before an encoder writes anything, a value with bits above the 24 the block has.</summary>
    public static void Check(Conformance value, string property)
    {
        if ((uint)value > 0xFF_FFFF)
        {
            throw new InvalidOperationException($"{property} = 0x{(uint)value:X} does not fit the 24-bit conformance block");
        }
    }

    /// <summary>Writes the block; only the low 24 bits of <paramref name="value"/> exist on the wire.</summary>
    public static void Write(IBufferWriter<byte> writer, Conformance value)
    {
        uint bits = (uint)value;
        if (bits > 0xFF_FFFF)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "the conformance block has 24 bits");
        }

        writer.WriteByte(TagClassByte);
        writer.WriteByte(TagNumberByte);
        writer.WriteByte(ContentLength);
        writer.WriteByte(0x00);
        writer.WriteByte((byte)(bits >> 16));
        writer.WriteByte((byte)(bits >> 8));
        writer.WriteByte((byte)bits);
    }

    /// <summary>Reads the block; any other tag, length or unused-bit count is a protocol error.</summary>
    public static Conformance Read(ref DlmsReader reader)
    {
        ReadOnlySpan<byte> head = reader.RemainingSpan;
        if (head.Length >= 1 && head[0] != TagClassByte)
        {
            throw reader.Error($"bad tag for conformance: expected 0x5F1F, got 0x{head[0]:X2}");
        }

        if (head.Length >= 2 && head[1] != TagNumberByte)
        {
            throw new DlmsProtocolException($"bad tag for conformance: expected 0x5F1F, got 0x5F{head[1]:X2}", reader.AbsolutePosition + 1);
        }

        if (head.Length >= 3 && head[2] != ContentLength)
        {
            throw new DlmsProtocolException($"bad conformance length {head[2]}, expected 4", reader.AbsolutePosition + 2);
        }

        if (head.Length >= 4 && head[3] != 0)
        {
            throw new DlmsProtocolException($"conformance declares {head[3]} unused bits, expected 0", reader.AbsolutePosition + 3);
        }

        ReadOnlySpan<byte> block = reader.ReadBytes(EncodedSize, "conformance");
        return (Conformance)(((uint)block[4] << 16) | ((uint)block[5] << 8) | block[6]);
    }
}
