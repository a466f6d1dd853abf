using System.Buffers;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Primitives;

namespace Smets1Sim.Dlms.Xdlms;

/// <summary>
/// data-notification [15] (Green Book 9.3), pushed by a server without a request:
/// <code>
/// 0F | long-invoke-id-and-priority (u32) | date-time OCTET STRING (00 | 0C + 12 bytes) | notification-body Data
/// </code>
/// </summary>
public sealed record DataNotification : XdlmsApdu
{
    /// <summary>Creates the notification; <paramref name="dateTime"/> null sends an empty date-time.</summary>
    public DataNotification(LongInvokeIdAndPriority longInvokeIdAndPriority, CosemDateTime? dateTime, DlmsValue body)
    {
        LongInvokeIdAndPriority = longInvokeIdAndPriority;
        DateTime = dateTime;
        Body = XdlmsWire.NotNull(body, nameof(body));
    }

    /// <summary>Long-invoke-id-and-priority.</summary>
    public LongInvokeIdAndPriority LongInvokeIdAndPriority { get; }

    /// <summary>When the data was captured, or null (an empty octet-string on the wire).</summary>
    public CosemDateTime? DateTime { get; }

    /// <summary>notification-body: the pushed data.</summary>
    public DlmsValue Body { get; }

    /// <inheritdoc />
    public override XdlmsTag Tag => XdlmsTag.DataNotification;

    /// <inheritdoc />
    public override void Encode(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteByte((byte)Tag);
        writer.WriteUInt32(LongInvokeIdAndPriority.Value);
        XdlmsWire.WriteDateTimeOctetString(writer, DateTime);
        XdlmsWire.WriteData(writer, Body);
    }

    /// <summary>Decodes a data-notification that fills <paramref name="apdu"/>.</summary>
    public static DataNotification Decode(ReadOnlySpan<byte> apdu, AxdrLimits? limits = null) => XdlmsApduCodec.Decode<DataNotification>(apdu, limits);

    internal static DataNotification Read(ref DlmsReader reader, AxdrLimits limits)
    {
        reader.Expect((byte)XdlmsTag.DataNotification, "data-notification");
        var invoke = new LongInvokeIdAndPriority(reader.ReadUInt32("long-invoke-id-and-priority"));
        CosemDateTime? dateTime = XdlmsWire.ReadDateTimeOctetString(ref reader, "date-time", allowEmpty: true);
        return new DataNotification(invoke, dateTime, XdlmsWire.ReadData(ref reader, limits));
    }
}
