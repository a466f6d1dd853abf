using System.Buffers;
using Smets1Sim.Dlms.Primitives;

namespace Smets1Sim.Dlms.Xdlms;

/// <summary>
/// DataBlock-SA ::= SEQUENCE { last-block BOOLEAN, block-number Unsigned32, raw-data OCTET STRING }
/// (Green Book 9.3), the block of SET with-datablock and ACTION pblock transfers. Equality compares the
/// raw-data contents. The encoder does not copy <see cref="RawData"/>; decoded blocks own a fresh array.
/// </summary>
public sealed record DataBlock(bool LastBlock, uint BlockNumber, ReadOnlyMemory<byte> RawData)
{
    /// <summary>Writes the block.</summary>
    public void Encode(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        XdlmsWire.WriteBoolean(writer, LastBlock);
        writer.WriteUInt32(BlockNumber);
        XdlmsWire.WriteOctetString(writer, RawData.Span);
    }

    internal static DataBlock Read(ref DlmsReader reader)
    {
        bool last = XdlmsWire.ReadBoolean(ref reader, "last-block");
        uint number = reader.ReadUInt32("block-number");
        return new DataBlock(last, number, XdlmsWire.ReadOctetString(ref reader, "raw-data"));
    }

    /// <inheritdoc />
    public bool Equals(DataBlock? other)
        => other is not null && LastBlock == other.LastBlock && BlockNumber == other.BlockNumber && RawData.Span.SequenceEqual(other.RawData.Span);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(LastBlock, BlockNumber, XdlmsWire.BytesHash(RawData));

    /// <inheritdoc />
    public override string ToString() => $"DataBlock {{ block {BlockNumber}{(LastBlock ? " (last)" : string.Empty)}, {RawData.Length} bytes }}";
}
