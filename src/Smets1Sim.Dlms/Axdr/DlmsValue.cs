using System.Collections.Immutable;
using System.Text;

namespace Smets1Sim.Dlms.Axdr;

/// <summary>
/// A COSEM data value (Blue Book 4.1.5). Immutable; equality is by value, including the contents of
/// byte strings and of arrays and structures.
/// </summary>
public abstract record DlmsValue
{
    private protected DlmsValue()
    {
    }

    /// <summary>The A-XDR type tag of this value.</summary>
    public abstract DataType Type { get; }

    /// <summary>The A-XDR encoding of this value, tag included.</summary>
    public byte[] ToArray() => Primitives.DlmsWriter.ToArray(w => AxdrEncoder.Encode(this, w));

    /// <summary>Shorthand for <see cref="DlmsNull.Instance"/>.</summary>
    public static DlmsValue Null => DlmsNull.Instance;

    /// <summary>Creates an octet-string.</summary>
    public static DlmsOctetString OctetString(ReadOnlySpan<byte> bytes) => new(bytes.ToArray().ToImmutableArray());

    /// <summary>Creates a structure.</summary>
    public static DlmsStructure Structure(params DlmsValue[] items) => new([.. items]);

    /// <summary>Creates an array.</summary>
    public static DlmsArray Array(params DlmsValue[] items) => new([.. items]);

    /// <summary>Creates a visible-string.</summary>
    public static DlmsVisibleString VisibleString(string value) => new(value);

    internal static bool SequenceEquals<T>(ImmutableArray<T> a, ImmutableArray<T> b)
        => a.IsDefault ? b.IsDefault : !b.IsDefault && a.AsSpan().SequenceEqual(b.AsSpan());

    internal static int SequenceHash<T>(ImmutableArray<T> items)
    {
        var hash = new HashCode();
        if (!items.IsDefault)
        {
            foreach (T item in items)
            {
                hash.Add(item);
            }
        }

        return hash.ToHashCode();
    }
}

/// <summary>null-data.</summary>
public sealed record DlmsNull : DlmsValue
{
    private DlmsNull()
    {
    }

    /// <summary>The only instance.</summary>
    public static DlmsNull Instance { get; } = new();

    /// <inheritdoc />
    public override DataType Type => DataType.NullData;
}

/// <summary>dont-care (used in selective-access filters).</summary>
public sealed record DlmsDontCare : DlmsValue
{
    private DlmsDontCare()
    {
    }

    /// <summary>The only instance.</summary>
    public static DlmsDontCare Instance { get; } = new();

    /// <inheritdoc />
    public override DataType Type => DataType.DontCare;
}

/// <summary>array: a sequence of values that should share one type.</summary>
public sealed record DlmsArray(ImmutableArray<DlmsValue> Items) : DlmsValue
{
    /// <inheritdoc />
    public override DataType Type => DataType.Array;

    /// <inheritdoc />
    public bool Equals(DlmsArray? other) => other is not null && SequenceEquals(Items, other.Items);

    /// <inheritdoc />
    public override int GetHashCode() => SequenceHash(Items);
}

/// <summary>structure: an ordered sequence of values of any types.</summary>
public sealed record DlmsStructure(ImmutableArray<DlmsValue> Items) : DlmsValue
{
    /// <inheritdoc />
    public override DataType Type => DataType.Structure;

    /// <inheritdoc />
    public bool Equals(DlmsStructure? other) => other is not null && SequenceEquals(Items, other.Items);

    /// <inheritdoc />
    public override int GetHashCode() => SequenceHash(Items);
}

/// <summary>boolean.</summary>
public sealed record DlmsBoolean(bool Value) : DlmsValue
{
    /// <inheritdoc />
    public override DataType Type => DataType.Boolean;
}

/// <summary>bit-string: <see cref="BitCount"/> bits, most significant bit of the first byte first.</summary>
public sealed record DlmsBitString : DlmsValue
{
    /// <summary>Creates a bit-string; unused trailing bits of the last byte are cleared.</summary>
    public DlmsBitString(ReadOnlySpan<byte> bytes, int bitCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bitCount);
        int byteCount = (bitCount + 7) / 8;
        if (bytes.Length != byteCount)
        {
            throw new ArgumentException($"{bitCount} bits need {byteCount} bytes, got {bytes.Length}", nameof(bytes));
        }

        byte[] copy = bytes.ToArray();
        if (bitCount % 8 != 0)
        {
            copy[^1] &= (byte)(0xFF << (8 - (bitCount % 8)));
        }

        Bytes = [.. copy];
        BitCount = bitCount;
    }

    /// <summary>The bits, packed MSB first.</summary>
    public ImmutableArray<byte> Bytes { get; }

    /// <summary>Number of significant bits.</summary>
    public int BitCount { get; }

    /// <summary>Bit <paramref name="index"/> (0 = MSB of the first byte).</summary>
    public bool this[int index] => (uint)index < (uint)BitCount
        ? (Bytes[index / 8] & (0x80 >> (index % 8))) != 0
        : throw new ArgumentOutOfRangeException(nameof(index));

    /// <inheritdoc />
    public override DataType Type => DataType.BitString;

    /// <inheritdoc />
    public bool Equals(DlmsBitString? other) => other is not null && BitCount == other.BitCount && SequenceEquals(Bytes, other.Bytes);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(BitCount, SequenceHash(Bytes));
}

/// <summary>double-long (Integer32).</summary>
public sealed record DlmsDoubleLong(int Value) : DlmsValue
{
    /// <inheritdoc />
    public override DataType Type => DataType.DoubleLong;
}

/// <summary>double-long-unsigned (Unsigned32).</summary>
public sealed record DlmsDoubleLongUnsigned(uint Value) : DlmsValue
{
    /// <inheritdoc />
    public override DataType Type => DataType.DoubleLongUnsigned;
}

/// <summary>octet-string.</summary>
public sealed record DlmsOctetString(ImmutableArray<byte> Value) : DlmsValue
{
    /// <inheritdoc />
    public override DataType Type => DataType.OctetString;

    /// <summary>The bytes as a span.</summary>
    public ReadOnlySpan<byte> Span => Value.AsSpan();

    /// <inheritdoc />
    public bool Equals(DlmsOctetString? other) => other is not null && SequenceEquals(Value, other.Value);

    /// <inheritdoc />
    public override int GetHashCode() => SequenceHash(Value);

    /// <summary>
    /// The length only: octet-strings carry wrapped keys (key_transfer) and challenges, so their bytes never reach a
    /// log line through <see cref="object.ToString"/>.
    /// </summary>
    public override string ToString() => $"DlmsOctetString {{ {Value.Length} bytes }}";
}

/// <summary>visible-string (ISO 646 printable characters; kept byte for byte as Latin-1).</summary>
public sealed record DlmsVisibleString(string Value) : DlmsValue
{
    /// <inheritdoc />
    public override DataType Type => DataType.VisibleString;
}

/// <summary>utf8-string.</summary>
public sealed record DlmsUtf8String(string Value) : DlmsValue
{
    /// <inheritdoc />
    public override DataType Type => DataType.Utf8String;
}

/// <summary>bcd: one byte holding two binary-coded decimal digits.</summary>
public sealed record DlmsBcd(byte Value) : DlmsValue
{
    /// <inheritdoc />
    public override DataType Type => DataType.Bcd;
}

/// <summary>integer (Integer8).</summary>
public sealed record DlmsInteger(sbyte Value) : DlmsValue
{
    /// <inheritdoc />
    public override DataType Type => DataType.Integer;
}

/// <summary>long (Integer16).</summary>
public sealed record DlmsLong(short Value) : DlmsValue
{
    /// <inheritdoc />
    public override DataType Type => DataType.Long;
}

/// <summary>unsigned (Unsigned8).</summary>
public sealed record DlmsUnsigned(byte Value) : DlmsValue
{
    /// <inheritdoc />
    public override DataType Type => DataType.Unsigned;
}

/// <summary>long-unsigned (Unsigned16).</summary>
public sealed record DlmsLongUnsigned(ushort Value) : DlmsValue
{
    /// <inheritdoc />
    public override DataType Type => DataType.LongUnsigned;
}

/// <summary>long64 (Integer64).</summary>
public sealed record DlmsLong64(long Value) : DlmsValue
{
    /// <inheritdoc />
    public override DataType Type => DataType.Long64;
}

/// <summary>long64-unsigned (Unsigned64).</summary>
public sealed record DlmsLong64Unsigned(ulong Value) : DlmsValue
{
    /// <inheritdoc />
    public override DataType Type => DataType.Long64Unsigned;
}

/// <summary>enum (0..255).</summary>
public sealed record DlmsEnum(byte Value) : DlmsValue
{
    /// <inheritdoc />
    public override DataType Type => DataType.Enum;
}

/// <summary>float32 (IEEE 754 single, big-endian on the wire).</summary>
public sealed record DlmsFloat32(float Value) : DlmsValue
{
    /// <inheritdoc />
    public override DataType Type => DataType.Float32;

    /// <inheritdoc />
    public bool Equals(DlmsFloat32? other) => other is not null && BitConverter.SingleToInt32Bits(Value) == BitConverter.SingleToInt32Bits(other.Value);

    /// <inheritdoc />
    public override int GetHashCode() => BitConverter.SingleToInt32Bits(Value);
}

/// <summary>float64 (IEEE 754 double, big-endian on the wire).</summary>
public sealed record DlmsFloat64(double Value) : DlmsValue
{
    /// <inheritdoc />
    public override DataType Type => DataType.Float64;

    /// <inheritdoc />
    public bool Equals(DlmsFloat64? other) => other is not null && BitConverter.DoubleToInt64Bits(Value) == BitConverter.DoubleToInt64Bits(other.Value);

    /// <inheritdoc />
    public override int GetHashCode() => BitConverter.DoubleToInt64Bits(Value).GetHashCode();
}

/// <summary>date-time (12 bytes).</summary>
public sealed record DlmsDateTime(CosemDateTime Value) : DlmsValue
{
    /// <inheritdoc />
    public override DataType Type => DataType.DateTime;
}

/// <summary>date (5 bytes).</summary>
public sealed record DlmsDate(CosemDate Value) : DlmsValue
{
    /// <inheritdoc />
    public override DataType Type => DataType.Date;
}

/// <summary>time (4 bytes).</summary>
public sealed record DlmsTime(CosemTime Value) : DlmsValue
{
    /// <inheritdoc />
    public override DataType Type => DataType.Time;
}

/// <summary>
/// compact-array (Blue Book 4.1.5): one type description shared by every element, elements encoded without tags.
/// </summary>
public sealed record DlmsCompactArray(TypeDescription ElementType, ImmutableArray<DlmsValue> Items) : DlmsValue
{
    /// <inheritdoc />
    public override DataType Type => DataType.CompactArray;

    /// <inheritdoc />
    public bool Equals(DlmsCompactArray? other) => other is not null && ElementType.Equals(other.ElementType) && SequenceEquals(Items, other.Items);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(ElementType, SequenceHash(Items));
}

/// <summary>
/// TypeDescription of a compact-array (Blue Book 4.1.5): a simple type, an array of <see cref="ArrayLength"/>
/// elements of one type, or a structure of the listed element types.
/// </summary>
public sealed record TypeDescription(DataType Type, ImmutableArray<TypeDescription> Elements, int ArrayLength = 0)
{
    /// <summary>A simple (non-constructed) type.</summary>
    public static TypeDescription Simple(DataType type) => new(type, []);

    /// <inheritdoc />
    public bool Equals(TypeDescription? other)
        => other is not null && Type == other.Type && ArrayLength == other.ArrayLength && DlmsValue.SequenceEquals(Elements, other.Elements);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Type, ArrayLength, DlmsValue.SequenceHash(Elements));
}

internal static class DlmsText
{
    public static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
