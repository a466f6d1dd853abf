using System.Globalization;

namespace Smets1Sim.Dlms.Xdlms;

/// <summary>
/// A COSEM logical name (OBIS code, IEC 62056-6-1): six value groups A..F, carried on the wire as
/// Cosem-Object-Instance-Id ::= OCTET STRING (SIZE(6)) (Green Book 9.3 / 11.x).
/// Text form "A-B:C.D.E.F" in decimal, e.g. "0-0:43.0.0.255".
/// </summary>
public readonly record struct ObisCode(byte A, byte B, byte C, byte D, byte E, byte F)
{
    /// <summary>Wire size of an instance-id.</summary>
    public const int Size = 6;

    /// <summary>Writes the six bytes A..F.</summary>
    public void WriteTo(Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            throw new ArgumentException($"an OBIS code needs {Size} bytes", nameof(destination));
        }

        destination[0] = A;
        destination[1] = B;
        destination[2] = C;
        destination[3] = D;
        destination[4] = E;
        destination[5] = F;
    }

    /// <summary>Reads the first six bytes of <paramref name="source"/>.</summary>
    public static ObisCode Read(ReadOnlySpan<byte> source)
    {
        if (source.Length < Size)
        {
            throw new ArgumentException($"an OBIS code needs {Size} bytes", nameof(source));
        }

        return new ObisCode(source[0], source[1], source[2], source[3], source[4], source[5]);
    }

    /// <summary>
    /// Parses "A-B:C.D.E.F" (decimal groups 0..255) or 12 hexadecimal digits ("00002B0000FF").
    /// </summary>
    /// <exception cref="FormatException">The text is in neither form.</exception>
    public static ObisCode Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out ObisCode code) ? code : throw new FormatException($"'{text}' is not an OBIS code (A-B:C.D.E.F or 12 hex digits)");
    }

    /// <summary>Parses like <see cref="Parse"/>; returns false instead of throwing.</summary>
    public static bool TryParse(string? text, out ObisCode code)
    {
        code = default;
        if (text is null)
        {
            return false;
        }

        Span<byte> groups = stackalloc byte[Size];
        if (text.Length == 2 * Size && IsAllHex(text))
        {
            for (int i = 0; i < Size; i++)
            {
                groups[i] = byte.Parse(text.AsSpan(2 * i, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
            }

            code = Read(groups);
            return true;
        }

        // A-B:C.D.E.F: the separators after A and B are fixed, the rest are dots.
        ReadOnlySpan<char> rest = text;
        ReadOnlySpan<char> separators = "-:...";
        for (int i = 0; i < Size; i++)
        {
            int end = i < Size - 1 ? rest.IndexOf(separators[i]) : rest.Length;
            if (end <= 0 || end > 3 || !IsAllDecimal(rest[..end])
                || !byte.TryParse(rest[..end], NumberStyles.None, CultureInfo.InvariantCulture, out groups[i]))
            {
                return false;
            }

            rest = i < Size - 1 ? rest[(end + 1)..] : [];
        }

        code = Read(groups);
        return true;
    }

    /// <summary>The "A-B:C.D.E.F" form.</summary>
    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"{A}-{B}:{C}.{D}.{E}.{F}");

    private static bool IsAllHex(ReadOnlySpan<char> text)
    {
        foreach (char c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsAllDecimal(ReadOnlySpan<char> text)
    {
        foreach (char c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
