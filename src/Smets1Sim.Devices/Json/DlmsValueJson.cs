using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Smets1Sim.Dlms;
using Smets1Sim.Dlms.Axdr;

namespace Smets1Sim.Devices.Json;

/// <summary>
/// The human-editable JSON form of a COSEM value used by profiles and state files: an object with one key naming
/// the type, e.g. <c>{"double-long-unsigned": 0}</c>, <c>{"octet-string": "0000010000FF"}</c>,
/// <c>{"visible-string": "ABC"}</c>, <c>{"date-time": "2026-01-01T00:00:00Z"}</c> (or 24 hex digits for wildcards),
/// <c>{"structure": [ ... ]}</c>, <c>{"bit-string": "1010"}</c>, <c>{"null-data": null}</c>, and
/// <c>{"axdr": "hex"}</c> for any value as its raw A-XDR encoding (used for compact-array).
/// </summary>
public static class DlmsValueJson
{
    private static readonly Dictionary<string, DataType> Names = new(StringComparer.Ordinal)
    {
        ["null-data"] = DataType.NullData, ["array"] = DataType.Array, ["structure"] = DataType.Structure,
        ["boolean"] = DataType.Boolean, ["bit-string"] = DataType.BitString, ["double-long"] = DataType.DoubleLong,
        ["double-long-unsigned"] = DataType.DoubleLongUnsigned, ["octet-string"] = DataType.OctetString,
        ["visible-string"] = DataType.VisibleString, ["utf8-string"] = DataType.Utf8String, ["bcd"] = DataType.Bcd,
        ["integer"] = DataType.Integer, ["long"] = DataType.Long, ["unsigned"] = DataType.Unsigned,
        ["long-unsigned"] = DataType.LongUnsigned, ["long64"] = DataType.Long64, ["long64-unsigned"] = DataType.Long64Unsigned,
        ["enum"] = DataType.Enum, ["float32"] = DataType.Float32, ["float64"] = DataType.Float64,
        ["date-time"] = DataType.DateTime, ["date"] = DataType.Date, ["time"] = DataType.Time, ["dont-care"] = DataType.DontCare,
    };

    private static readonly Dictionary<DataType, string> TypeNames = Names.ToDictionary(p => p.Value, p => p.Key);

    /// <summary>Reads a value; <paramref name="path"/> is the JSON path used in error messages.</summary>
    internal static DlmsValue Read(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new JsonPathException(path, $"expected an object with one type key such as {{\"unsigned\": 1}}, got {element.ValueKind.ToString().ToLowerInvariant()}");
        }

        JsonProperty[] properties = [.. element.EnumerateObject()];
        if (properties.Length != 1)
        {
            throw new JsonPathException(path, $"expected exactly one type key, got {properties.Length}");
        }

        JsonProperty p = properties[0];
        string inner = $"{path}.{p.Name}";
        if (p.Name == "axdr")
        {
            try
            {
                return AxdrDecoder.Decode(Hex(p.Value, inner));
            }
            catch (DlmsProtocolException ex)
            {
                throw new JsonPathException(inner, $"not a valid A-XDR value: {ex.Message}");
            }
        }

        if (!Names.TryGetValue(p.Name, out DataType type))
        {
            throw new JsonPathException(path, $"unknown type key \"{p.Name}\" (expected one of {string.Join(", ", Names.Keys)}, axdr)");
        }

        JsonElement v = p.Value;
        try
        {
            return type switch
            {
                DataType.NullData => DlmsValue.Null,
                DataType.DontCare => DlmsDontCare.Instance,
                DataType.Array => new DlmsArray(Items(v, inner)),
                DataType.Structure => new DlmsStructure(Items(v, inner)),
                DataType.Boolean => v.ValueKind is JsonValueKind.True or JsonValueKind.False ? new DlmsBoolean(v.GetBoolean()) : throw Bad(inner, "expected true or false"),
                DataType.BitString => BitString(v, inner),
                DataType.DoubleLong => new DlmsDoubleLong((int)Integer(v, inner, int.MinValue, int.MaxValue)),
                DataType.DoubleLongUnsigned => new DlmsDoubleLongUnsigned((uint)Integer(v, inner, 0, uint.MaxValue)),
                DataType.OctetString => DlmsValue.OctetString(Hex(v, inner)),
                DataType.VisibleString => new DlmsVisibleString(Text(v, inner)),
                DataType.Utf8String => new DlmsUtf8String(Text(v, inner)),
                DataType.Bcd => new DlmsBcd((byte)Integer(v, inner, 0, byte.MaxValue)),
                DataType.Integer => new DlmsInteger((sbyte)Integer(v, inner, sbyte.MinValue, sbyte.MaxValue)),
                DataType.Long => new DlmsLong((short)Integer(v, inner, short.MinValue, short.MaxValue)),
                DataType.Unsigned => new DlmsUnsigned((byte)Integer(v, inner, 0, byte.MaxValue)),
                DataType.LongUnsigned => new DlmsLongUnsigned((ushort)Integer(v, inner, 0, ushort.MaxValue)),
                DataType.Long64 => new DlmsLong64(Integer(v, inner, long.MinValue, long.MaxValue)),
                DataType.Long64Unsigned => new DlmsLong64Unsigned(v.ValueKind == JsonValueKind.Number && v.TryGetUInt64(out ulong u) ? u : throw Bad(inner, "expected an integer 0..18446744073709551615")),
                DataType.Enum => new DlmsEnum((byte)Integer(v, inner, 0, byte.MaxValue)),
                DataType.Float32 => new DlmsFloat32(v.ValueKind == JsonValueKind.Number && v.TryGetSingle(out float f) ? f : throw Bad(inner, "expected a number")),
                DataType.Float64 => new DlmsFloat64(v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out double d) ? d : throw Bad(inner, "expected a number")),
                DataType.DateTime => new DlmsDateTime(DateTimeValue(v, inner)),
                DataType.Date => new DlmsDate(Raw(v, inner, CosemDate.Size, CosemDate.Read, s => CosemDate.FromDateOnly(DateOnly.ParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture)))),
                DataType.Time => new DlmsTime(Raw(v, inner, CosemTime.Size, CosemTime.Read, s =>
                {
                    TimeOnly t = TimeOnly.ParseExact(s, "HH:mm:ss", CultureInfo.InvariantCulture);
                    return new CosemTime((byte)t.Hour, (byte)t.Minute, (byte)t.Second, 0);
                })),
                _ => throw Bad(path, $"type {p.Name} is not supported in JSON; use axdr"),
            };
        }
        catch (FormatException ex)
        {
            throw Bad(inner, ex.Message);
        }
    }

    /// <summary>Writes a value in the notation <see cref="Read"/> accepts; reading it back gives an equal value.</summary>
    public static void Write(Utf8JsonWriter writer, DlmsValue value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        if (value is DlmsCompactArray)
        {
            writer.WriteString("axdr", Convert.ToHexString(value.ToArray()));
            writer.WriteEndObject();
            return;
        }

        writer.WritePropertyName(TypeNames[value.Type]);
        switch (value)
        {
            case DlmsNull or DlmsDontCare: writer.WriteNullValue(); break;
            case DlmsArray a: WriteItems(writer, a.Items); break;
            case DlmsStructure s: WriteItems(writer, s.Items); break;
            case DlmsBoolean b: writer.WriteBooleanValue(b.Value); break;
            case DlmsBitString bits: writer.WriteStringValue(string.Concat(Enumerable.Range(0, bits.BitCount).Select(i => bits[i] ? '1' : '0'))); break;
            case DlmsDoubleLong v: writer.WriteNumberValue(v.Value); break;
            case DlmsDoubleLongUnsigned v: writer.WriteNumberValue(v.Value); break;
            case DlmsOctetString v: writer.WriteStringValue(Convert.ToHexString(v.Span)); break;
            case DlmsVisibleString v: writer.WriteStringValue(v.Value); break;
            case DlmsUtf8String v: writer.WriteStringValue(v.Value); break;
            case DlmsBcd v: writer.WriteNumberValue(v.Value); break;
            case DlmsInteger v: writer.WriteNumberValue(v.Value); break;
            case DlmsLong v: writer.WriteNumberValue(v.Value); break;
            case DlmsUnsigned v: writer.WriteNumberValue(v.Value); break;
            case DlmsLongUnsigned v: writer.WriteNumberValue(v.Value); break;
            case DlmsLong64 v: writer.WriteNumberValue(v.Value); break;
            case DlmsLong64Unsigned v: writer.WriteNumberValue(v.Value); break;
            case DlmsEnum v: writer.WriteNumberValue(v.Value); break;
            case DlmsFloat32 v: writer.WriteNumberValue(v.Value); break;
            case DlmsFloat64 v: writer.WriteNumberValue(v.Value); break;
            case DlmsDateTime v: writer.WriteStringValue(Iso(v.Value) ?? RawHex(v.Value.WriteTo, CosemDateTime.Size)); break;
            case DlmsDate v: writer.WriteStringValue(RawHex(v.Value.WriteTo, CosemDate.Size)); break;
            case DlmsTime v: writer.WriteStringValue(RawHex(v.Value.WriteTo, CosemTime.Size)); break;
            default: throw new ArgumentException($"cannot write {value.GetType().Name}", nameof(value));
        }

        writer.WriteEndObject();
    }

    private static void WriteItems(Utf8JsonWriter writer, ImmutableArray<DlmsValue> items)
    {
        writer.WriteStartArray();
        foreach (DlmsValue item in items)
        {
            Write(writer, item);
        }

        writer.WriteEndArray();
    }

    // ISO only when it round-trips exactly (status 0, no wildcards); otherwise the 24 raw hex digits.
    private static string? Iso(CosemDateTime value)
        => value.Status == ClockStatus.None && value.TryToDateTimeOffset(out DateTimeOffset t) && CosemDateTime.FromDateTimeOffset(t) == value
            ? t.ToString("yyyy-MM-dd'T'HH:mm:ss.ffzzz", CultureInfo.InvariantCulture)
            : null;

    private delegate void SpanWriter(Span<byte> destination);

    private static string RawHex(SpanWriter write, int size)
    {
        byte[] bytes = new byte[size];
        write(bytes);
        return Convert.ToHexString(bytes);
    }

    private static CosemDateTime DateTimeValue(JsonElement v, string path)
        => Raw(v, path, CosemDateTime.Size, CosemDateTime.Read, s => CosemDateTime.FromDateTimeOffset(DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)));

    private delegate T SpanReader<T>(ReadOnlySpan<byte> source);

    private static T Raw<T>(JsonElement v, string path, int size, SpanReader<T> read, Func<string, T> parse)
    {
        string s = Text(v, path);
        return s.Length == size * 2 && s.All(char.IsAsciiHexDigit) ? read(Convert.FromHexString(s)) : parse(s);
    }

    private static ImmutableArray<DlmsValue> Items(JsonElement v, string path)
    {
        if (v.ValueKind != JsonValueKind.Array)
        {
            throw Bad(path, "expected an array of values");
        }

        int i = 0;
        return [.. v.EnumerateArray().Select(item => Read(item, $"{path}[{i++}]"))];
    }

    private static DlmsBitString BitString(JsonElement v, string path)
    {
        string s = Text(v, path);
        if (!s.All(c => c is '0' or '1'))
        {
            throw Bad(path, "expected a string of 0 and 1");
        }

        byte[] bytes = new byte[(s.Length + 7) / 8];
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '1')
            {
                bytes[i / 8] |= (byte)(0x80 >> (i % 8));
            }
        }

        return new DlmsBitString(bytes, s.Length);
    }

    private static long Integer(JsonElement v, string path, long min, long max)
    {
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out long n))
        {
            throw Bad(path, "expected an integer");
        }

        return n >= min && n <= max ? n : throw Bad(path, $"{n} is out of range {min}..{max}");
    }

    private static string Text(JsonElement v, string path)
        => v.ValueKind == JsonValueKind.String ? v.GetString()! : throw Bad(path, "expected a string");

    private static byte[] Hex(JsonElement v, string path)
    {
        string s = Text(v, path);
        return s.Length % 2 == 0 && s.All(char.IsAsciiHexDigit) ? Convert.FromHexString(s) : throw Bad(path, "expected an even number of hex digits");
    }

    private static JsonPathException Bad(string path, string problem) => new(path, problem);
}

/// <summary>Writer settings of every JSON file the simulator writes: indented, and readable (no HTML escaping).</summary>
public static class JsonFiles
{
    /// <summary>Options for files people read (fleet, state).</summary>
    public static JsonWriterOptions Indented { get; } = new() { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Options for one-line machine output (the ready line).</summary>
    public static JsonWriterOptions Compact { get; } = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
