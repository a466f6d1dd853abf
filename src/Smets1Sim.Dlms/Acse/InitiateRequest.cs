using System.Buffers;
using Smets1Sim.Dlms.Primitives;

namespace Smets1Sim.Dlms.Acse;

/// <summary>
/// The xDLMS InitiateRequest (Green Book, xDLMS-Initiate.request; A-XDR encoded, carried in the AARQ
/// user-information, in clear or inside a glo-/general-glo-ciphering APDU).
/// <code>
/// 01 | dedicated-key   00, or 01 len key       (OCTET STRING OPTIONAL)
///    | response-allowed 00 (default TRUE), or 01 bool
///    | proposed-quality-of-service 00, or 01 int8
///    | proposed-dlms-version-number (u8, 6)
///    | 5F 1F 04 00 conformance (3 bytes, BER)
///    | client-max-receive-pdu-size (u16)
/// </code>
/// </summary>
public sealed record InitiateRequest
{
    /// <summary>The xDLMS APDU tag, initiateRequest [1].</summary>
    public const byte Tag = 0x01;

    /// <summary>
    /// Dedicated key for ded-ciphering in this association (only ever sent ciphered); null when absent. Any length
    /// is decoded; the session checks it suits the security suite (16 bytes for suite 0).
    /// </summary>
    public ReadOnlyMemory<byte>? DedicatedKey { get; init; }

    /// <summary>response-allowed, DEFAULT TRUE: true is encoded as the default (0x00).</summary>
    public bool ResponseAllowed { get; init; } = true;

    /// <summary>proposed-quality-of-service; not used by COSEM, a server ignores it.</summary>
    public sbyte? ProposedQualityOfService { get; init; }

    /// <summary>proposed-dlms-version-number: 6 today. Decoded as sent; the session decides whether it suits.</summary>
    public byte ProposedDlmsVersion { get; init; } = 6;

    /// <summary>The services the client proposes.</summary>
    public required Conformance ProposedConformance { get; init; }

    /// <summary>The largest APDU the client can receive.</summary>
    public required ushort ClientMaxReceivePduSize { get; init; }

    /// <summary>Writes the A-XDR encoding.</summary>
    /// <exception cref="InvalidOperationException">The conformance has bits above the 24 the block carries.</exception>
    public void Encode(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ConformanceBlock.Check(ProposedConformance, nameof(ProposedConformance));
        writer.WriteByte(Tag);
        if (DedicatedKey is { } key)
        {
            writer.WriteByte(0x01);
            writer.WriteAxdrLength(key.Length);
            writer.WriteBytes(key.Span);
        }
        else
        {
            writer.WriteByte(0x00);
        }

        if (ResponseAllowed)
        {
            writer.WriteByte(0x00);
        }
        else
        {
            writer.WriteByte(0x01);
            writer.WriteByte(0x00);
        }

        if (ProposedQualityOfService is { } qos)
        {
            writer.WriteByte(0x01);
            writer.WriteByte((byte)qos);
        }
        else
        {
            writer.WriteByte(0x00);
        }

        writer.WriteByte(ProposedDlmsVersion);
        ConformanceBlock.Write(writer, ProposedConformance);
        writer.WriteUInt16(ClientMaxReceivePduSize);
    }

    /// <summary>The encoding as a new array.</summary>
    public byte[] ToArray() => DlmsWriter.ToArray(Encode);

    /// <summary>Decodes exactly one InitiateRequest that fills <paramref name="input"/>.</summary>
    /// <exception cref="DlmsProtocolException">The bytes are not a well-formed InitiateRequest.</exception>
    public static InitiateRequest Decode(ReadOnlySpan<byte> input)
    {
        var reader = new DlmsReader(input);
        reader.Expect(Tag, "InitiateRequest");

        ReadOnlyMemory<byte>? dedicatedKey = null;
        if (AxdrOptional.ReadUsageFlag(ref reader, "dedicated-key"))
        {
            int length = reader.ReadAxdrLength("dedicated-key");
            dedicatedKey = reader.ReadBytes(length, "dedicated-key").ToArray();
        }

        // A-XDR BOOLEAN: 0x00 is FALSE, any other value TRUE. An explicit TRUE is accepted though the
        // encoder always uses the default form for it.
        bool responseAllowed = !AxdrOptional.ReadUsageFlag(ref reader, "response-allowed")
            || reader.ReadByte("response-allowed") != 0;

        sbyte? qualityOfService = null;
        if (AxdrOptional.ReadUsageFlag(ref reader, "proposed-quality-of-service"))
        {
            qualityOfService = (sbyte)reader.ReadByte("proposed-quality-of-service");
        }

        byte version = reader.ReadByte("proposed-dlms-version-number");
        Conformance conformance = ConformanceBlock.Read(ref reader);
        ushort maxPdu = reader.ReadUInt16("client-max-receive-pdu-size");
        reader.ExpectEnd("InitiateRequest");

        return new InitiateRequest
        {
            DedicatedKey = dedicatedKey,
            ResponseAllowed = responseAllowed,
            ProposedQualityOfService = qualityOfService,
            ProposedDlmsVersion = version,
            ProposedConformance = conformance,
            ClientMaxReceivePduSize = maxPdu,
        };
    }
}
