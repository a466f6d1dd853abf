using System.Buffers.Binary;
using System.Globalization;

namespace Smets1Sim.Dlms.Security;

/// <summary>
/// The 8-byte system title that names a DLMS endpoint (DLMS UA Green Book, system title): by convention three bytes of FLAG
/// manufacturer code followed by five bytes of serial number, e.g. <c>4D4D4D0000BC614E</c> ("MMM", 12345678).
/// It is half of every suite-0 GCM IV, so a peer's title must be the one it authenticated with.
/// </summary>
/// <param name="Value">The eight bytes, big-endian.</param>
public readonly record struct SystemTitle(ulong Value)
{
    /// <summary>Encoded length in bytes.</summary>
    public const int Length = 8;

    /// <summary>Parses 16 hex digits (either case).</summary>
    /// <exception cref="FormatException">The text is not exactly 16 hex digits.</exception>
    public static SystemTitle Parse(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        return TryParse(hex, out SystemTitle title)
            ? title
            : throw new FormatException($"a system title is {2 * Length} hex digits, got \"{hex}\"");
    }

    /// <summary>Parses 16 hex digits; false on anything else.</summary>
    public static bool TryParse(string? hex, out SystemTitle title)
    {
        title = default;
        if (hex is null || hex.Length != 2 * Length)
        {
            return false;
        }

        foreach (char c in hex)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        title = new SystemTitle(ulong.Parse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
        return true;
    }

    /// <summary>Reads exactly eight bytes.</summary>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is not eight bytes long.</exception>
    public static SystemTitle FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
        {
            throw new ArgumentException($"a system title is {Length} bytes, got {bytes.Length}", nameof(bytes));
        }

        return new SystemTitle(BinaryPrimitives.ReadUInt64BigEndian(bytes));
    }

    /// <summary>Writes the eight bytes to the start of <paramref name="destination"/>.</summary>
    public void WriteTo(Span<byte> destination) => BinaryPrimitives.WriteUInt64BigEndian(destination, Value);

    /// <summary>The eight bytes as a new array.</summary>
    public byte[] ToArray()
    {
        byte[] bytes = new byte[Length];
        WriteTo(bytes);
        return bytes;
    }

    /// <summary>
    /// The first three bytes as text when they are printable ASCII (the FLAG manufacturer code, e.g. "MMM"),
    /// otherwise null.
    /// </summary>
    public string? ManufacturerCode
    {
        get
        {
            Span<char> code = stackalloc char[3];
            for (int i = 0; i < code.Length; i++)
            {
                byte b = (byte)(Value >> (56 - (8 * i)));
                if (b is < 0x20 or > 0x7E)
                {
                    return null;
                }

                code[i] = (char)b;
            }

            return new string(code);
        }
    }

    /// <summary>Sixteen upper-case hex digits.</summary>
    public override string ToString() => Value.ToString("X16", CultureInfo.InvariantCulture);
}
