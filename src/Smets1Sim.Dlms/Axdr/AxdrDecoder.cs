using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Text;
using Smets1Sim.Dlms.Primitives;

namespace Smets1Sim.Dlms.Axdr;

/// <summary>
/// A-XDR decoding of COSEM data (IEC 61334-6; Green Book 9.5 / Blue Book 4.1.5). Malformed input throws
/// <see cref="DlmsProtocolException"/> with the offset of the defect; declared lengths and counts are checked
/// against the remaining input and <see cref="AxdrLimits"/> before anything is allocated.
/// </summary>
public static class AxdrDecoder
{
    /// <summary>Decodes exactly one value that must fill <paramref name="input"/>.</summary>
    public static DlmsValue Decode(ReadOnlySpan<byte> input, AxdrLimits? limits = null)
    {
        var reader = new DlmsReader(input);
        DlmsValue value = Read(ref reader, limits);
        reader.ExpectEnd("data");
        return value;
    }

    /// <summary>Decodes one value from the start of <paramref name="input"/>, reporting how many bytes it used.</summary>
    public static DlmsValue Decode(ReadOnlySpan<byte> input, out int bytesConsumed, AxdrLimits? limits = null)
    {
        var reader = new DlmsReader(input);
        DlmsValue value = Read(ref reader, limits);
        bytesConsumed = reader.Position;
        return value;
    }

    /// <summary>Reads one tagged value from <paramref name="reader"/>; on failure the reader is not advanced.</summary>
    public static DlmsValue Read(ref DlmsReader reader, AxdrLimits? limits = null)
    {
        var context = new Context(limits ?? AxdrLimits.Default);
        DlmsReader attempt = reader;
        DlmsValue value = ReadTagged(ref attempt, ref context, depth: 0);
        reader = attempt;
        return value;
    }

    private struct Context(AxdrLimits limits)
    {
        public readonly AxdrLimits Limits = limits;
        public int Values;

        public void Count(ref DlmsReader reader, int count = 1)
        {
            Values += count;
            if (Values > Limits.MaxValues)
            {
                throw reader.Error($"more than {Limits.MaxValues} values");
            }
        }
    }

    private static DlmsValue ReadTagged(ref DlmsReader reader, ref Context context, int depth)
    {
        int tagOffset = reader.Position;
        byte tag = reader.ReadByte("data type tag");
        context.Count(ref reader);
        switch ((DataType)tag)
        {
            case DataType.Array:
            case DataType.Structure:
            {
                if (depth >= context.Limits.MaxDepth)
                {
                    throw new DlmsProtocolException($"nesting deeper than {context.Limits.MaxDepth}", reader.BaseOffset + tagOffset);
                }

                // Every element takes at least one byte (its tag), so the count cannot exceed what remains.
                int count = reader.ReadAxdrLength(tag == (byte)DataType.Array ? "array" : "structure", context.Limits.MaxValues);
                var items = ImmutableArray.CreateBuilder<DlmsValue>(count);
                for (int i = 0; i < count; i++)
                {
                    items.Add(ReadTagged(ref reader, ref context, depth + 1));
                }

                ImmutableArray<DlmsValue> built = items.MoveToImmutable();
                return tag == (byte)DataType.Array ? new DlmsArray(built) : new DlmsStructure(built);
            }

            case DataType.CompactArray:
                return ReadCompactArray(ref reader, ref context, depth);
            case DataType.NullData:
                return DlmsNull.Instance;
            case DataType.DontCare:
                return DlmsDontCare.Instance;
            default:
                if (!Enum.IsDefined((DataType)tag))
                {
                    throw new DlmsProtocolException($"unknown data type tag 0x{tag:X2}", reader.BaseOffset + tagOffset);
                }

                return ReadContent(ref reader, ref context, (DataType)tag);
        }
    }

    /// <summary>The bytes after the tag of a simple type (also the untagged form inside compact-array contents).</summary>
    private static DlmsValue ReadContent(ref DlmsReader reader, ref Context context, DataType type)
    {
        switch (type)
        {
            case DataType.NullData:
                return DlmsNull.Instance;
            case DataType.DontCare:
                return DlmsDontCare.Instance;
            case DataType.Boolean:
                return new DlmsBoolean(reader.ReadByte("boolean") != 0);
            case DataType.BitString:
            {
                int start = reader.Position;

                // The limit is in bytes and the length in bits: widen before multiplying and rounding, so a generous
                // limit or a bit count near int.MaxValue cannot overflow into an OverflowException or a negative size.
                int maxBits = (int)Math.Min((long)context.Limits.MaxStringLength * 8, int.MaxValue);
                int bits = reader.ReadAxdrLength("bit-string", maxBits, mustFitRemaining: false);
                long byteCount = ((long)bits + 7) / 8;
                if (byteCount > reader.Remaining)
                {
                    int remaining = reader.Remaining;
                    reader.Rewind(start);
                    throw reader.Error($"truncated: bit-string of {bits} bits needs {byteCount} bytes, {remaining} remain");
                }

                ReadOnlySpan<byte> raw = reader.ReadBytes((int)byteCount, "bit-string");
                return new DlmsBitString(raw, bits);
            }

            case DataType.DoubleLong:
                return new DlmsDoubleLong(unchecked((int)reader.ReadUInt32("double-long")));
            case DataType.DoubleLongUnsigned:
                return new DlmsDoubleLongUnsigned(reader.ReadUInt32("double-long-unsigned"));
            case DataType.OctetString:
            {
                int length = reader.ReadAxdrLength("octet-string", context.Limits.MaxStringLength);
                return new DlmsOctetString([.. reader.ReadBytes(length, "octet-string")]);
            }

            case DataType.VisibleString:
            {
                int length = reader.ReadAxdrLength("visible-string", context.Limits.MaxStringLength);
                return new DlmsVisibleString(Encoding.Latin1.GetString(reader.ReadBytes(length, "visible-string")));
            }

            case DataType.Utf8String:
            {
                int start = reader.Position;
                int length = reader.ReadAxdrLength("utf8-string", context.Limits.MaxStringLength);
                ReadOnlySpan<byte> raw = reader.ReadBytes(length, "utf8-string");
                try
                {
                    return new DlmsUtf8String(DlmsText.StrictUtf8.GetString(raw));
                }
                catch (DecoderFallbackException)
                {
                    reader.Rewind(start);
                    throw reader.Error("utf8-string is not valid UTF-8");
                }
            }

            case DataType.Bcd:
                return new DlmsBcd(reader.ReadByte("bcd"));
            case DataType.Integer:
                return new DlmsInteger(unchecked((sbyte)reader.ReadByte("integer")));
            case DataType.Long:
                return new DlmsLong(unchecked((short)reader.ReadUInt16("long")));
            case DataType.Unsigned:
                return new DlmsUnsigned(reader.ReadByte("unsigned"));
            case DataType.LongUnsigned:
                return new DlmsLongUnsigned(reader.ReadUInt16("long-unsigned"));
            case DataType.Long64:
                return new DlmsLong64(unchecked((long)reader.ReadUInt64("long64")));
            case DataType.Long64Unsigned:
                return new DlmsLong64Unsigned(reader.ReadUInt64("long64-unsigned"));
            case DataType.Enum:
                return new DlmsEnum(reader.ReadByte("enum"));
            case DataType.Float32:
                return new DlmsFloat32(BinaryPrimitives.ReadSingleBigEndian(reader.ReadBytes(4, "float32")));
            case DataType.Float64:
                return new DlmsFloat64(BinaryPrimitives.ReadDoubleBigEndian(reader.ReadBytes(8, "float64")));
            case DataType.DateTime:
                return new DlmsDateTime(CosemDateTime.Read(reader.ReadBytes(CosemDateTime.Size, "date-time")));
            case DataType.Date:
                return new DlmsDate(CosemDate.Read(reader.ReadBytes(CosemDate.Size, "date")));
            case DataType.Time:
                return new DlmsTime(CosemTime.Read(reader.ReadBytes(CosemTime.Size, "time")));
            default:
                throw reader.Error($"data type {type} has no simple content");
        }
    }

    // Blue Book 4.1.5: compact-array ::= SEQUENCE { contents-description TypeDescription, array-contents OCTET STRING }
    private static DlmsCompactArray ReadCompactArray(ref DlmsReader reader, ref Context context, int depth)
    {
        TypeDescription description = ReadTypeDescription(ref reader, ref context, depth + 1);
        int contentsStart = reader.Position;
        int length = reader.ReadAxdrLength("compact-array contents");
        var contents = new DlmsReader(reader.ReadBytes(length, "compact-array contents"), reader.BaseOffset + reader.Position - length);
        var items = ImmutableArray.CreateBuilder<DlmsValue>();
        while (!contents.End)
        {
            int before = contents.Position;
            items.Add(ReadUntagged(ref contents, ref context, description));
            if (contents.Position == before)
            {
                throw new DlmsProtocolException("compact-array element type encodes to zero bytes", reader.BaseOffset + contentsStart);
            }
        }

        return new DlmsCompactArray(description, items.ToImmutable());
    }

    private static TypeDescription ReadTypeDescription(ref DlmsReader reader, ref Context context, int depth)
    {
        if (depth > context.Limits.MaxDepth)
        {
            throw reader.Error($"type description nested deeper than {context.Limits.MaxDepth}");
        }

        int tagOffset = reader.Position;
        byte tag = reader.ReadByte("type description tag");
        context.Count(ref reader);
        switch ((DataType)tag)
        {
            case DataType.Array:
            {
                ushort count = reader.ReadUInt16("array type description length");
                return new TypeDescription(DataType.Array, [ReadTypeDescription(ref reader, ref context, depth + 1)], count);
            }

            case DataType.Structure:
            {
                int count = reader.ReadAxdrLength("structure type description");
                var elements = ImmutableArray.CreateBuilder<TypeDescription>(count);
                for (int i = 0; i < count; i++)
                {
                    elements.Add(ReadTypeDescription(ref reader, ref context, depth + 1));
                }

                return new TypeDescription(DataType.Structure, elements.MoveToImmutable());
            }

            case DataType.CompactArray:
                throw new DlmsProtocolException("compact-array cannot describe compact-array elements", reader.BaseOffset + tagOffset);
            default:
                if (!Enum.IsDefined((DataType)tag))
                {
                    throw new DlmsProtocolException($"unknown data type tag 0x{tag:X2} in type description", reader.BaseOffset + tagOffset);
                }

                return TypeDescription.Simple((DataType)tag);
        }
    }

    private static DlmsValue ReadUntagged(ref DlmsReader reader, ref Context context, TypeDescription description)
    {
        context.Count(ref reader);
        switch (description.Type)
        {
            case DataType.Array:
            {
                // Each element needs at least one byte, unless it encodes to nothing: bound by the value budget too.
                if (description.ArrayLength > context.Limits.MaxValues - context.Values)
                {
                    throw reader.Error($"more than {context.Limits.MaxValues} values");
                }

                var items = ImmutableArray.CreateBuilder<DlmsValue>(description.ArrayLength);
                for (int i = 0; i < description.ArrayLength; i++)
                {
                    items.Add(ReadUntagged(ref reader, ref context, description.Elements[0]));
                }

                return new DlmsArray(items.MoveToImmutable());
            }

            case DataType.Structure:
            {
                var items = ImmutableArray.CreateBuilder<DlmsValue>(description.Elements.Length);
                foreach (TypeDescription element in description.Elements)
                {
                    items.Add(ReadUntagged(ref reader, ref context, element));
                }

                return new DlmsStructure(items.MoveToImmutable());
            }

            default:
                return ReadContent(ref reader, ref context, description.Type);
        }
    }
}
