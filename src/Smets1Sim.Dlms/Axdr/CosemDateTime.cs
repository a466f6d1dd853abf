using System.Buffers.Binary;

namespace Smets1Sim.Dlms.Axdr;

/// <summary>Clock status bits of a COSEM date-time (Blue Book 4.1.6.1).</summary>
[Flags]
public enum ClockStatus : byte
{
    /// <summary>No flag set.</summary>
    None = 0,
    /// <summary>Invalid value.</summary>
    InvalidValue = 0x01,
    /// <summary>Doubtful value.</summary>
    DoubtfulValue = 0x02,
    /// <summary>Different clock base.</summary>
    DifferentClockBase = 0x04,
    /// <summary>Invalid clock status.</summary>
    InvalidClockStatus = 0x08,
    /// <summary>Daylight saving active.</summary>
    DaylightSavingActive = 0x80,
    /// <summary>0xFF: status not specified.</summary>
    NotSpecified = 0xFF,
}

/// <summary>
/// A COSEM date (Blue Book 4.1.6.1): year-highbyte, year-lowbyte, month, day-of-month, day-of-week.
/// Wildcards are kept as on the wire: year 0xFFFF, month/day/day-of-week 0xFF = not specified; month 0xFD/0xFE
/// = daylight-savings end/begin; day 0xFD/0xFE = second-last/last day of the month.
/// </summary>
public readonly record struct CosemDate(ushort Year, byte Month, byte DayOfMonth, byte DayOfWeek)
{
    /// <summary>Wire size.</summary>
    public const int Size = 5;

    /// <summary>Year value meaning "not specified".</summary>
    public const ushort YearNotSpecified = 0xFFFF;

    /// <summary>Byte value meaning "not specified".</summary>
    public const byte NotSpecified = 0xFF;

    /// <summary>Writes the 5 bytes.</summary>
    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, Year);
        destination[2] = Month;
        destination[3] = DayOfMonth;
        destination[4] = DayOfWeek;
    }

    /// <summary>Reads the 5 bytes (no range check: wildcards and odd values are kept for round trips).</summary>
    public static CosemDate Read(ReadOnlySpan<byte> source)
        => new(BinaryPrimitives.ReadUInt16BigEndian(source), source[2], source[3], source[4]);

    /// <summary>The calendar date of <paramref name="value"/> with its ISO day of week (Monday = 1).</summary>
    public static CosemDate FromDateOnly(DateOnly value)
        => new((ushort)value.Year, (byte)value.Month, (byte)value.Day, IsoDayOfWeek(value.DayOfWeek));

    internal static byte IsoDayOfWeek(DayOfWeek day) => day == System.DayOfWeek.Sunday ? (byte)7 : (byte)day;
}

/// <summary>
/// A COSEM time (Blue Book 4.1.6.1): hour, minute, second, hundredths; 0xFF = not specified.
/// </summary>
public readonly record struct CosemTime(byte Hour, byte Minute, byte Second, byte Hundredths)
{
    /// <summary>Wire size.</summary>
    public const int Size = 4;

    /// <summary>Writes the 4 bytes.</summary>
    public void WriteTo(Span<byte> destination)
    {
        destination[0] = Hour;
        destination[1] = Minute;
        destination[2] = Second;
        destination[3] = Hundredths;
    }

    /// <summary>Reads the 4 bytes.</summary>
    public static CosemTime Read(ReadOnlySpan<byte> source) => new(source[0], source[1], source[2], source[3]);
}

/// <summary>
/// A COSEM date-time (Blue Book 4.1.6.1), 12 bytes: date (5), time (4), deviation (i16), clock status (1).
/// <para>
/// Deviation is "in minutes of local time to UTC" (Blue Book 4.1.6.1): UTC = local time + deviation, so a clock
/// at UTC+01:00 carries deviation -60. Some stacks use the opposite sign; this library follows the Blue Book.
/// 0x8000 means "not specified".
/// </para>
/// </summary>
public readonly record struct CosemDateTime(CosemDate Date, CosemTime Time, short Deviation, ClockStatus Status)
{
    /// <summary>Wire size.</summary>
    public const int Size = 12;

    /// <summary>Deviation value meaning "not specified".</summary>
    public const short DeviationNotSpecified = unchecked((short)0x8000);

    /// <summary>Writes the 12 bytes.</summary>
    public void WriteTo(Span<byte> destination)
    {
        Date.WriteTo(destination);
        Time.WriteTo(destination[CosemDate.Size..]);
        BinaryPrimitives.WriteInt16BigEndian(destination[9..], Deviation);
        destination[11] = (byte)Status;
    }

    /// <summary>Reads the 12 bytes (no range check).</summary>
    public static CosemDateTime Read(ReadOnlySpan<byte> source)
        => new(
            CosemDate.Read(source),
            CosemTime.Read(source[CosemDate.Size..]),
            BinaryPrimitives.ReadInt16BigEndian(source[9..]),
            (ClockStatus)source[11]);

    /// <summary>
    /// The date-time of <paramref name="value"/> in its own offset, hundredths truncated, deviation = -offset.
    /// </summary>
    public static CosemDateTime FromDateTimeOffset(DateTimeOffset value, ClockStatus status = ClockStatus.None)
    {
        int offsetMinutes = (int)Math.Round(value.Offset.TotalMinutes);
        return new CosemDateTime(
            CosemDate.FromDateOnly(DateOnly.FromDateTime(value.DateTime)),
            new CosemTime((byte)value.Hour, (byte)value.Minute, (byte)value.Second, (byte)(value.Millisecond / 10)),
            (short)-offsetMinutes,
            status);
    }

    /// <summary>
    /// Converts to a <see cref="DateTimeOffset"/>. Fails (returns false) when a field is a wildcard or out of range,
    /// or the day of week contradicts the date. An unspecified hundredths reads as 0; an unspecified deviation
    /// reads as UTC only when <paramref name="assumeUtcWhenDeviationUnspecified"/> is set.
    /// </summary>
    public bool TryToDateTimeOffset(out DateTimeOffset value, bool assumeUtcWhenDeviationUnspecified = false)
    {
        value = default;
        int deviation = Deviation;
        if (Deviation == DeviationNotSpecified)
        {
            if (!assumeUtcWhenDeviationUnspecified)
            {
                return false;
            }

            deviation = 0;
        }

        if (deviation is < -840 or > 840
            || Date.Year is < 1 or > 9999
            || Date.Month is < 1 or > 12
            || Date.DayOfMonth < 1 || Date.DayOfMonth > DateTime.DaysInMonth(Date.Year, Date.Month)
            || Time.Hour > 23 || Time.Minute > 59 || Time.Second > 59
            || (Time.Hundredths > 99 && Time.Hundredths != 0xFF))
        {
            return false;
        }

        var date = new DateOnly(Date.Year, Date.Month, Date.DayOfMonth);
        if (Date.DayOfWeek != CosemDate.NotSpecified && Date.DayOfWeek != CosemDate.IsoDayOfWeek(date.DayOfWeek))
        {
            return false;
        }

        int millis = Time.Hundredths == 0xFF ? 0 : Time.Hundredths * 10;
        var local = new DateTime(Date.Year, Date.Month, Date.DayOfMonth, Time.Hour, Time.Minute, Time.Second, millis, DateTimeKind.Unspecified);
        TimeSpan offset = TimeSpan.FromMinutes(-deviation);

        // At the ends of the calendar (year 1 or 9999) the offset can push UTC out of range: not representable.
        if ((offset > TimeSpan.Zero && local - DateTime.MinValue < offset) || (offset < TimeSpan.Zero && DateTime.MaxValue - local < -offset))
        {
            return false;
        }

        value = new DateTimeOffset(local, offset);
        return true;
    }

    /// <inheritdoc />
    public override string ToString()
        => TryToDateTimeOffset(out DateTimeOffset v)
            ? v.ToString("yyyy-MM-dd'T'HH:mm:ss.ffzzz", System.Globalization.CultureInfo.InvariantCulture)
            : $"{Date.Year:X4}-{Date.Month:X2}-{Date.DayOfMonth:X2}({Date.DayOfWeek:X2}) {Time.Hour:X2}:{Time.Minute:X2}:{Time.Second:X2}.{Time.Hundredths:X2} dev {Deviation} st {(byte)Status:X2}";
}
