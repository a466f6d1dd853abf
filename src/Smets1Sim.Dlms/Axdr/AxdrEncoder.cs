using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Smets1Sim.Dlms.Primitives;

namespace Smets1Sim.Dlms.Axdr;

/// <summary>A-XDR encoding of COSEM data (IEC 61334-6; Green Book 9.5 / Blue Book 4.1.5).</summary>
public static class AxdrEncoder
{
    /// <summary>Writes <paramref name="value"/> with its type tag.</summary>
    public static void Encode(DlmsValue value, IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteByte((byte)value.Type);
        switch (value)
        {
            case DlmsArray a:
                writer.WriteAxdrLength(a.Items.Length);
                foreach (DlmsValue item in a.Items)
                {
                    Encode(item, writer);
                }

                break;
            case DlmsStructure s:
                writer.WriteAxdrLength(s.Items.Length);
                foreach (DlmsValue item in s.Items)
                {
                    Encode(item, writer);
                }

                break;
            case DlmsCompactArray c:
                EncodeTypeDescription(c.ElementType, writer);
                var contents = new ArrayBufferWriter<byte>();
                foreach (DlmsValue item in c.Items)
                {
                    EncodeUntagged(item, c.ElementType, contents);
                }

                writer.WriteAxdrLength(contents.WrittenCount);
                writer.Write(contents.WrittenSpan);
                break;
            default:
                EncodeContent(value, writer);
                break;
        }
    }

    /// <summary>
    /// Writes a value without its tag, shaped by <paramref name="description"/> (compact-array contents,
    /// Blue Book 4.1.5): arrays and structures carry no element count of their own.
    /// </summary>
    private static void EncodeUntagged(DlmsValue value, TypeDescription description, IBufferWriter<byte> writer)
    {
        if (value.Type != description.Type)
        {
            throw new ArgumentException($"compact-array element of type {value.Type} does not match its description {description.Type}");
        }

        switch (value)
        {
            case DlmsArray a:
                if (a.Items.Length != description.ArrayLength)
                {
                    throw new ArgumentException($"compact-array element array has {a.Items.Length} items, description says {description.ArrayLength}");
                }

                foreach (DlmsValue item in a.Items)
                {
                    EncodeUntagged(item, description.Elements[0], writer);
                }

                break;
            case DlmsStructure s:
                if (s.Items.Length != description.Elements.Length)
                {
                    throw new ArgumentException($"compact-array element structure has {s.Items.Length} items, description says {description.Elements.Length}");
                }

                for (int i = 0; i < s.Items.Length; i++)
                {
                    EncodeUntagged(s.Items[i], description.Elements[i], writer);
                }

                break;
            case DlmsCompactArray:
                throw new ArgumentException("a compact-array cannot nest inside a compact-array");
            default:
                EncodeContent(value, writer);
                break;
        }
    }

    /// <summary>Writes a compact-array type description (Blue Book 4.1.5 TypeDescription).</summary>
    internal static void EncodeTypeDescription(TypeDescription description, IBufferWriter<byte> writer)
    {
        writer.WriteByte((byte)description.Type);
        switch (description.Type)
        {
            case DataType.Array:
                if (description.Elements.Length != 1 || description.ArrayLength is < 0 or > ushort.MaxValue)
                {
                    throw new ArgumentException("an array type description needs one element type and a u16 length");
                }

                writer.WriteUInt16((ushort)description.ArrayLength);
                EncodeTypeDescription(description.Elements[0], writer);
                break;
            case DataType.Structure:
                writer.WriteAxdrLength(description.Elements.Length);
                foreach (TypeDescription element in description.Elements)
                {
                    EncodeTypeDescription(element, writer);
                }

                break;
            case DataType.CompactArray:
                throw new ArgumentException("a compact-array cannot describe compact-array elements");
        }
    }

    /// <summary>The bytes after the tag of a simple (non-constructed) value.</summary>
    private static void EncodeContent(DlmsValue value, IBufferWriter<byte> writer)
    {
        switch (value)
        {
            case DlmsNull or DlmsDontCare:
                break;
            case DlmsBoolean b:
                writer.WriteByte(b.Value ? (byte)1 : (byte)0);
                break;
            case DlmsBitString bits:
                writer.WriteAxdrLength(bits.BitCount);
                writer.Write(bits.Bytes.AsSpan());
                break;
            case DlmsDoubleLong v:
                writer.WriteUInt32(unchecked((uint)v.Value));
                break;
            case DlmsDoubleLongUnsigned v:
                writer.WriteUInt32(v.Value);
                break;
            case DlmsOctetString v:
                writer.WriteAxdrLength(v.Value.Length);
                writer.Write(v.Value.AsSpan());
                break;
            case DlmsVisibleString v:
                WriteString(writer, Encoding.Latin1, v.Value, latin1: true);
                break;
            case DlmsUtf8String v:
                WriteString(writer, DlmsText.StrictUtf8, v.Value, latin1: false);
                break;
            case DlmsBcd v:
                writer.WriteByte(v.Value);
                break;
            case DlmsInteger v:
                writer.WriteByte(unchecked((byte)v.Value));
                break;
            case DlmsLong v:
                writer.WriteUInt16(unchecked((ushort)v.Value));
                break;
            case DlmsUnsigned v:
                writer.WriteByte(v.Value);
                break;
            case DlmsLongUnsigned v:
                writer.WriteUInt16(v.Value);
                break;
            case DlmsLong64 v:
                writer.WriteUInt64(unchecked((ulong)v.Value));
                break;
            case DlmsLong64Unsigned v:
                writer.WriteUInt64(v.Value);
                break;
            case DlmsEnum v:
                writer.WriteByte(v.Value);
                break;
            case DlmsFloat32 v:
                BinaryPrimitives.WriteSingleBigEndian(writer.GetSpan(4), v.Value);
                writer.Advance(4);
                break;
            case DlmsFloat64 v:
                BinaryPrimitives.WriteDoubleBigEndian(writer.GetSpan(8), v.Value);
                writer.Advance(8);
                break;
            case DlmsDateTime v:
                v.Value.WriteTo(writer.GetSpan(CosemDateTime.Size));
                writer.Advance(CosemDateTime.Size);
                break;
            case DlmsDate v:
                v.Value.WriteTo(writer.GetSpan(CosemDate.Size));
                writer.Advance(CosemDate.Size);
                break;
            case DlmsTime v:
                v.Value.WriteTo(writer.GetSpan(CosemTime.Size));
                writer.Advance(CosemTime.Size);
                break;
            default:
                throw new ArgumentException($"cannot encode {value.GetType().Name}", nameof(value));
        }
    }

    private static void WriteString(IBufferWriter<byte> writer, Encoding encoding, string value, bool latin1)
    {
        if (latin1)
        {
            foreach (char c in value)
            {
                if (c > 0xFF)
                {
                    throw new ArgumentException("a visible-string holds single-byte characters only", nameof(value));
                }
            }
        }

        byte[] bytes = encoding.GetBytes(value);
        writer.WriteAxdrLength(bytes.Length);
        writer.Write(bytes);
    }
}
