using System.Buffers;
using System.Collections.Immutable;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Primitives;

namespace Smets1Sim.Dlms.Xdlms;

/// <summary>
/// Field codecs shared by the xDLMS APDUs (Green Book 9.3, A-XDR per IEC 61334-6). Every read either
/// succeeds or throws <see cref="DlmsProtocolException"/> at the offset of the offending field without
/// consuming it.
/// </summary>
internal static class XdlmsWire
{
    /// <summary>
    /// <c>tag | choice | invoke-id-and-priority</c>: the first three bytes of every GET/SET/ACTION APDU.
    /// </summary>
    public static void WriteHeader(IBufferWriter<byte> writer, XdlmsTag tag, byte choice, InvokeIdAndPriority invoke)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Span<byte> header = writer.GetSpan(3);
        header[0] = (byte)tag;
        header[1] = choice;
        header[2] = invoke.Value;
        writer.Advance(3);
    }

    /// <summary>Reads the CHOICE byte of a service APDU and checks it names a defined alternative.</summary>
    public static TChoice ReadChoice<TChoice>(ref DlmsReader reader, string service)
        where TChoice : struct, Enum
    {
        byte raw = reader.PeekByte($"{service} choice");
        TChoice choice = (TChoice)Enum.ToObject(typeof(TChoice), raw);
        if (!Enum.IsDefined(choice))
        {
            throw reader.Error($"unknown {service} choice {raw}");
        }

        reader.ReadByte($"{service} choice");
        return choice;
    }

    public static InvokeIdAndPriority ReadInvoke(ref DlmsReader reader)
        => new(reader.ReadByte("invoke-id-and-priority"));

    /// <summary>
    /// A-XDR BOOLEAN (IEC 61334-6): 0x00 is FALSE and, as in BER and as <see cref="AxdrDecoder"/> reads boolean
    /// data, any other value is TRUE. Encoders always write 0x01.
    /// </summary>
    public static bool ReadBoolean(ref DlmsReader reader, string what) => reader.ReadByte(what) != 0;

    public static void WriteBoolean(IBufferWriter<byte> writer, bool value) => writer.WriteByte(value ? (byte)1 : (byte)0);

    /// <summary>The presence flag of an OPTIONAL component, itself an A-XDR BOOLEAN (IEC 61334-6 5.1).</summary>
    public static bool ReadPresence(ref DlmsReader reader, string what) => ReadBoolean(ref reader, $"presence flag of {what}");

    public static DataAccessResult ReadDataAccessResult(ref DlmsReader reader)
    {
        byte raw = reader.PeekByte("data-access-result");
        if (!Enum.IsDefined((DataAccessResult)raw))
        {
            throw reader.Error($"unknown data-access-result {raw}");
        }

        reader.ReadByte("data-access-result");
        return (DataAccessResult)raw;
    }

    public static ActionResult ReadActionResult(ref DlmsReader reader)
    {
        byte raw = reader.PeekByte("action-result");
        if (!Enum.IsDefined((ActionResult)raw))
        {
            throw reader.Error($"unknown action-result {raw}");
        }

        reader.ReadByte("action-result");
        return (ActionResult)raw;
    }

    /// <summary>
    /// Reads the element count of a SEQUENCE OF (an A-XDR length) and checks that <paramref name="minElementSize"/>
    /// bytes per element (plus <paramref name="followingBytes"/> of fixed fields after the list) remain, so a hostile
    /// count cannot make the caller allocate beyond the input.
    /// </summary>
    public static int ReadCount(ref DlmsReader reader, string what, int minElementSize, int followingBytes = 0)
    {
        int start = reader.Position;
        int count = reader.ReadAxdrLength($"{what} count", mustFitRemaining: false);
        long needed = ((long)count * minElementSize) + followingBytes;
        if (needed > reader.Remaining)
        {
            int remaining = reader.Remaining;
            reader.Rewind(start);
            throw reader.Error($"{what} count {count} needs at least {needed} bytes, {remaining} remain");
        }

        return count;
    }

    public static void WriteCount(IBufferWriter<byte> writer, int count) => writer.WriteAxdrLength(count);

    /// <summary>An A-XDR OCTET STRING (length + bytes), copied out of the input.</summary>
    public static ReadOnlyMemory<byte> ReadOctetString(ref DlmsReader reader, string what)
    {
        int length = reader.ReadAxdrLength(what);
        return reader.ReadBytes(length, what).ToArray();
    }

    public static void WriteOctetString(IBufferWriter<byte> writer, ReadOnlySpan<byte> value)
    {
        writer.WriteAxdrLength(value.Length);
        writer.Write(value);
    }

    public static DlmsValue ReadData(ref DlmsReader reader, AxdrLimits limits) => AxdrDecoder.Read(ref reader, limits);

    public static void WriteData(IBufferWriter<byte> writer, DlmsValue value) => AxdrEncoder.Encode(value, writer);

    /// <summary>A date-time carried as an OCTET STRING: its length must be 12 (or 0 where <paramref name="allowEmpty"/>).</summary>
    public static CosemDateTime? ReadDateTimeOctetString(ref DlmsReader reader, string what, bool allowEmpty)
    {
        int start = reader.Position;
        int length = reader.ReadAxdrLength(what);
        if (length == 0 && allowEmpty)
        {
            return null;
        }

        if (length != CosemDateTime.Size)
        {
            reader.Rewind(start);
            throw reader.Error($"{what} must be {(allowEmpty ? "0 or " : string.Empty)}{CosemDateTime.Size} bytes, declares {length}");
        }

        return CosemDateTime.Read(reader.ReadBytes(CosemDateTime.Size, what));
    }

    public static void WriteDateTimeOctetString(IBufferWriter<byte> writer, CosemDateTime? value)
    {
        if (value is not { } dateTime)
        {
            writer.WriteByte(0);
            return;
        }

        writer.WriteByte(CosemDateTime.Size);
        dateTime.WriteTo(writer.GetSpan(CosemDateTime.Size));
        writer.Advance(CosemDateTime.Size);
    }

    /// <summary>Constructor guard for list members: not default, no null elements.</summary>
    public static ImmutableArray<T> NotDefault<T>(ImmutableArray<T> items, string name)
    {
        if (items.IsDefault)
        {
            throw new ArgumentException("the list must not be default (use an empty array)", name);
        }

        foreach (T item in items)
        {
            if (item is null)
            {
                throw new ArgumentException("the list must not contain null", name);
            }
        }

        return items;
    }

    public static T NotNull<T>(T? value, string name)
        where T : class
        => value ?? throw new ArgumentNullException(name);

    public static bool SequenceEquals<T>(ImmutableArray<T> a, ImmutableArray<T> b)
        => a.IsDefault ? b.IsDefault : !b.IsDefault && a.AsSpan().SequenceEqual(b.AsSpan());

    public static int SequenceHash<T>(ImmutableArray<T> items)
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

    public static int BytesHash(ReadOnlyMemory<byte> bytes)
    {
        var hash = new HashCode();
        hash.AddBytes(bytes.Span);
        return hash.ToHashCode();
    }
}
