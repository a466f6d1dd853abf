using System.Buffers;

namespace Smets1Sim.Dlms.Framing;

/// <summary>
/// One IEC 62056-47 wrapper frame: the two wPorts and the APDU it carries. Equality compares the APDU bytes.
/// </summary>
/// <param name="SourceWPort">Wrapper port of the sender.</param>
/// <param name="DestinationWPort">Wrapper port of the receiver.</param>
/// <param name="Apdu">The APDU; 1..65535 bytes when encoded.</param>
public sealed record WrapperFrame(ushort SourceWPort, ushort DestinationWPort, ReadOnlyMemory<byte> Apdu)
{
    /// <summary>The header that precedes this frame's APDU on the wire.</summary>
    /// <exception cref="InvalidOperationException">The APDU is empty or longer than 65535 bytes.</exception>
    public WrapperHeader Header
    {
        get
        {
            if (Apdu.Length is 0 or > ushort.MaxValue)
            {
                throw new InvalidOperationException(
                    $"a wrapper frame carries 1..{ushort.MaxValue} APDU bytes, this one has {Apdu.Length}");
            }

            return new WrapperHeader(SourceWPort, DestinationWPort, (ushort)Apdu.Length);
        }
    }

    /// <summary>Encoded size: header plus APDU.</summary>
    public int EncodedLength => WrapperHeader.Size + Apdu.Length;

    /// <summary>Writes the header and the APDU.</summary>
    /// <exception cref="InvalidOperationException">The APDU is empty or longer than 65535 bytes.</exception>
    public void Encode(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Header.WriteTo(writer);
        writer.Write(Apdu.Span);
    }

    /// <summary>Encodes the frame into a new array.</summary>
    public byte[] ToArray()
    {
        byte[] result = new byte[EncodedLength];
        Header.WriteTo(result);
        Apdu.Span.CopyTo(result.AsSpan(WrapperHeader.Size));
        return result;
    }

    /// <summary>
    /// The frame that answers this one: the ports swapped (IEC 62056-47; mainstream clients drop replies whose
    /// ports do not mirror their request).
    /// </summary>
    public WrapperFrame Reply(ReadOnlyMemory<byte> apdu) => new(DestinationWPort, SourceWPort, apdu);

    /// <inheritdoc/>
    public bool Equals(WrapperFrame? other) =>
        other is not null
        && SourceWPort == other.SourceWPort
        && DestinationWPort == other.DestinationWPort
        && Apdu.Span.SequenceEqual(other.Apdu.Span);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(SourceWPort);
        hash.Add(DestinationWPort);
        hash.AddBytes(Apdu.Span);
        return hash.ToHashCode();
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"WrapperFrame {{ {SourceWPort} -> {DestinationWPort}, {Apdu.Length} APDU bytes }}";
}
