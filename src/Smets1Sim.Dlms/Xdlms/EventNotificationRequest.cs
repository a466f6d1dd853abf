using System.Buffers;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Primitives;

namespace Smets1Sim.Dlms.Xdlms;

/// <summary>
/// event-notification-request [194] (Green Book 9.3), an unconfirmed report of an attribute value:
/// <code>
/// C2 | time OCTET STRING OPTIONAL (00 | 01 0C + 12 bytes) | attribute-descriptor (9) | attribute-value Data
/// </code>
/// </summary>
public sealed record EventNotificationRequest : XdlmsApdu
{
    /// <summary>Creates the notification; <paramref name="time"/> null omits it.</summary>
    public EventNotificationRequest(CosemDateTime? time, CosemAttributeDescriptor descriptor, DlmsValue value)
    {
        Time = time;
        Descriptor = XdlmsWire.NotNull(descriptor, nameof(descriptor));
        Value = XdlmsWire.NotNull(value, nameof(value));
    }

    /// <summary>When the event happened, or null.</summary>
    public CosemDateTime? Time { get; }

    /// <summary>The attribute reported.</summary>
    public CosemAttributeDescriptor Descriptor { get; }

    /// <summary>Its value.</summary>
    public DlmsValue Value { get; }

    /// <inheritdoc />
    public override XdlmsTag Tag => XdlmsTag.EventNotificationRequest;

    /// <inheritdoc />
    public override void Encode(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteByte((byte)Tag);
        if (Time is null)
        {
            writer.WriteByte(0);
        }
        else
        {
            writer.WriteByte(1);
            XdlmsWire.WriteDateTimeOctetString(writer, Time);
        }

        Descriptor.Encode(writer);
        XdlmsWire.WriteData(writer, Value);
    }

    /// <summary>Decodes an event-notification-request that fills <paramref name="apdu"/>.</summary>
    public static EventNotificationRequest Decode(ReadOnlySpan<byte> apdu, AxdrLimits? limits = null)
        => XdlmsApduCodec.Decode<EventNotificationRequest>(apdu, limits);

    internal static EventNotificationRequest Read(ref DlmsReader reader, AxdrLimits limits)
    {
        reader.Expect((byte)XdlmsTag.EventNotificationRequest, "event-notification-request");
        CosemDateTime? time = XdlmsWire.ReadPresence(ref reader, "time")
            ? XdlmsWire.ReadDateTimeOctetString(ref reader, "time", allowEmpty: false)
            : null;
        CosemAttributeDescriptor descriptor = CosemAttributeDescriptor.Read(ref reader);
        return new EventNotificationRequest(time, descriptor, XdlmsWire.ReadData(ref reader, limits));
    }
}
