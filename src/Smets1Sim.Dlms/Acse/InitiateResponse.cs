using System.Buffers;
using Smets1Sim.Dlms.Primitives;

namespace Smets1Sim.Dlms.Acse;

/// <summary>
/// The xDLMS InitiateResponse (Green Book, xDLMS-Initiate.response; A-XDR encoded, carried in the AARE
/// user-information).
/// <code>
/// 08 | negotiated-quality-of-service 00, or 01 int8
///    | negotiated-dlms-version-number (u8, 6)
///    | 5F 1F 04 00 conformance (3 bytes, BER)
///    | server-max-receive-pdu-size (u16)
///    | vaa-name (u16: 0x0007 for LN referencing, the base name 0xFA00 for SN)
/// </code>
/// </summary>
public sealed record InitiateResponse
{
    /// <summary>The xDLMS APDU tag, initiateResponse [8].</summary>
    public const byte Tag = 0x08;

    /// <summary>The vaa-name a logical-name server always sends (a dummy value).</summary>
    public const ushort LogicalNameVaaName = 0x0007;

    /// <summary>negotiated-quality-of-service; null when absent.</summary>
    public sbyte? NegotiatedQualityOfService { get; init; }

    /// <summary>negotiated-dlms-version-number: 6 today; decoded as sent.</summary>
    public byte NegotiatedDlmsVersion { get; init; } = 6;

    /// <summary>The services the server grants.</summary>
    public required Conformance NegotiatedConformance { get; init; }

    /// <summary>The largest APDU the server can receive.</summary>
    public required ushort ServerMaxReceivePduSize { get; init; }

    /// <summary>vaa-name (ObjectName); <see cref="LogicalNameVaaName"/> for LN referencing.</summary>
    public ushort VaaName { get; init; } = LogicalNameVaaName;

    /// <summary>Writes the A-XDR encoding.</summary>
    /// <exception cref="InvalidOperationException">The conformance has bits above the 24 the block carries.</exception>
    public void Encode(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ConformanceBlock.Check(NegotiatedConformance, nameof(NegotiatedConformance));
        writer.WriteByte(Tag);
        if (NegotiatedQualityOfService is { } qos)
        {
            writer.WriteByte(0x01);
            writer.WriteByte((byte)qos);
        }
        else
        {
            writer.WriteByte(0x00);
        }

        writer.WriteByte(NegotiatedDlmsVersion);
        ConformanceBlock.Write(writer, NegotiatedConformance);
        writer.WriteUInt16(ServerMaxReceivePduSize);
        writer.WriteUInt16(VaaName);
    }

    /// <summary>The encoding as a new array.</summary>
    public byte[] ToArray() => DlmsWriter.ToArray(Encode);

    /// <summary>Decodes exactly one InitiateResponse that fills <paramref name="input"/>.</summary>
    /// <exception cref="DlmsProtocolException">The bytes are not a well-formed InitiateResponse.</exception>
    public static InitiateResponse Decode(ReadOnlySpan<byte> input)
    {
        var reader = new DlmsReader(input);
        reader.Expect(Tag, "InitiateResponse");

        sbyte? qualityOfService = null;
        if (AxdrOptional.ReadUsageFlag(ref reader, "negotiated-quality-of-service"))
        {
            qualityOfService = (sbyte)reader.ReadByte("negotiated-quality-of-service");
        }

        byte version = reader.ReadByte("negotiated-dlms-version-number");
        Conformance conformance = ConformanceBlock.Read(ref reader);
        ushort maxPdu = reader.ReadUInt16("server-max-receive-pdu-size");
        ushort vaaName = reader.ReadUInt16("vaa-name");
        reader.ExpectEnd("InitiateResponse");

        return new InitiateResponse
        {
            NegotiatedQualityOfService = qualityOfService,
            NegotiatedDlmsVersion = version,
            NegotiatedConformance = conformance,
            ServerMaxReceivePduSize = maxPdu,
            VaaName = vaaName,
        };
    }
}
