using System.Buffers;
using System.Buffers.Binary;

namespace Smets1Sim.Dlms.Framing;

/// <summary>
/// The IEC 62056-47 (DLMS/COSEM over TCP/UDP) wrapper header that precedes every APDU:
/// <code>
///  0        2                4                     6                8
///  +--------+----------------+---------------------+----------------+-----------
///  | 00 01  | source wPort   | destination wPort   | APDU length    | APDU ...
///  | u16 BE | u16 BE         | u16 BE              | u16 BE         |
///  +--------+----------------+---------------------+----------------+-----------
/// </code>
/// The header is plain data: it is written as it is, so tests can script a peer that sends a wrong version.
/// <see cref="WrapperFrameReader"/> is the one place that enforces <see cref="SupportedVersion"/>.
/// </summary>
/// <param name="Version">Wrapper protocol version; the only defined value is <see cref="SupportedVersion"/>.</param>
/// <param name="SourceWPort">Wrapper port of the sender (the client SAP or the logical device).</param>
/// <param name="DestinationWPort">Wrapper port of the receiver.</param>
/// <param name="Length">Length of the APDU that follows the header.</param>
public readonly record struct WrapperHeader(ushort Version, ushort SourceWPort, ushort DestinationWPort, ushort Length)
{
    /// <summary>Encoded size of the header in bytes.</summary>
    public const int Size = 8;

    /// <summary>The only wrapper version defined by IEC 62056-47.</summary>
    public const ushort SupportedVersion = 0x0001;

    /// <summary>Creates a header with <see cref="SupportedVersion"/>.</summary>
    public WrapperHeader(ushort sourceWPort, ushort destinationWPort, ushort length)
        : this(SupportedVersion, sourceWPort, destinationWPort, length)
    {
    }

    /// <summary>True when <see cref="Version"/> is <see cref="SupportedVersion"/>.</summary>
    public bool HasSupportedVersion => Version == SupportedVersion;

    /// <summary>Writes the 8 header bytes to the start of <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="Size"/>.</exception>
    public void WriteTo(Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            throw new ArgumentException($"the wrapper header needs {Size} bytes", nameof(destination));
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination, Version);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], SourceWPort);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], DestinationWPort);
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], Length);
    }

    /// <summary>Writes the 8 header bytes to <paramref name="writer"/>.</summary>
    public void WriteTo(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        WriteTo(writer.GetSpan(Size));
        writer.Advance(Size);
    }

    /// <summary>
    /// Reads a header from the start of <paramref name="source"/>. Returns false when fewer than
    /// <see cref="Size"/> bytes are available; the fields are not validated here.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out WrapperHeader header)
    {
        if (source.Length < Size)
        {
            header = default;
            return false;
        }

        header = new WrapperHeader(
            BinaryPrimitives.ReadUInt16BigEndian(source),
            BinaryPrimitives.ReadUInt16BigEndian(source[2..]),
            BinaryPrimitives.ReadUInt16BigEndian(source[4..]),
            BinaryPrimitives.ReadUInt16BigEndian(source[6..]));
        return true;
    }
}
