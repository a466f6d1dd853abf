using System.Globalization;
using System.Text;

namespace Smets1Sim.Policy.Policies;

/// <summary>
/// A policy duration in calendar terms: whole months (a year is twelve), whole days and a time of day part.
/// Written in ISO 8601 duration form (<c>P15M</c>, <c>P7D</c>, <c>PT24H</c>, <c>P1Y3M</c>, <c>P2W</c>).
/// Months are kept apart from days because "15 months" is not a fixed number of days: 15 months after
/// 30 November is 28 February, or 29 February in a leap year (see <see cref="AddTo"/>).
/// </summary>
public readonly record struct PolicyPeriod(int Months, int Days, TimeSpan Time)
{
    /// <summary>A period of whole days.</summary>
    public static PolicyPeriod FromDays(int days) => new(0, days, TimeSpan.Zero);

    /// <summary>A period of whole calendar months.</summary>
    public static PolicyPeriod FromMonths(int months) => new(months, 0, TimeSpan.Zero);

    /// <summary>A period of hours.</summary>
    public static PolicyPeriod FromHours(int hours) => new(0, 0, TimeSpan.FromHours(hours));

    /// <summary>True when the period adds nothing.</summary>
    public bool IsZero => Months == 0 && Days == 0 && Time == TimeSpan.Zero;

    /// <summary>
    /// Adds the period to a UTC instant: months first, with the day of month clamped to the last day of the
    /// target month (<see cref="DateTimeOffset.AddMonths"/>: 30 Nov + 15 months is 28 Feb, or 29 Feb when the
    /// target year is a leap year; 29 Feb + 12 months is 28 Feb), then days of exactly 24 hours, then the time
    /// part. The time of day is kept, and UTC has no daylight-saving jumps, so "7 days" is exactly 168 hours.
    /// </summary>
    public DateTimeOffset AddTo(DateTimeOffset instant) =>
        instant.ToUniversalTime().AddMonths(Months).AddDays(Days).Add(Time);

    /// <summary>A rough length in days, for drawing a limit on a chart (never for deciding a status).</summary>
    public double ApproximateDays => (Months * 365.2425 / 12) + Days + Time.TotalDays;

    /// <summary>Parses the ISO 8601 subset above; weeks become days, years become months.</summary>
    public static bool TryParse(string text, out PolicyPeriod period)
    {
        period = default;
        if (text.Length < 3 || (text[0] != 'P' && text[0] != 'p'))
        {
            return false;
        }

        long months = 0, days = 0;
        long seconds = 0;
        bool inTime = false, any = false;
        int i = 1;
        string order = "YMWD";
        int lastDate = -1, lastTime = -1;
        while (i < text.Length)
        {
            char c = char.ToUpperInvariant(text[i]);
            if (c == 'T')
            {
                if (inTime)
                {
                    return false;
                }

                inTime = true;
                i++;
                continue;
            }

            int start = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            if (i == start || i == text.Length || i - start > 6)
            {
                return false;
            }

            long n = long.Parse(text.AsSpan(start, i - start), NumberStyles.None, CultureInfo.InvariantCulture);
            char unit = char.ToUpperInvariant(text[i++]);
            any = true;
            if (!inTime)
            {
                int rank = order.IndexOf(unit, StringComparison.Ordinal);
                if (rank <= lastDate)
                {
                    return false;
                }

                lastDate = rank;
                switch (unit)
                {
                    case 'Y': months += n * 12; break;
                    case 'M': months += n; break;
                    case 'W': days += n * 7; break;
                    default: days += n; break;
                }
            }
            else
            {
                int rank = "HMS".IndexOf(unit, StringComparison.Ordinal);
                if (rank <= lastTime)
                {
                    return false;
                }

                lastTime = rank;
                seconds += unit switch { 'H' => n * 3600, 'M' => n * 60, _ => n };
            }
        }

        if (!any || (inTime && lastTime < 0) || months > 1200 || days > 36500)
        {
            return false;
        }

        period = new PolicyPeriod((int)months, (int)days, TimeSpan.FromSeconds(seconds));
        return true;
    }

    /// <summary>The ISO 8601 form, e.g. <c>P15M</c> or <c>P7D</c>.</summary>
    public override string ToString()
    {
        if (IsZero)
        {
            return "PT0S";
        }

        var text = new StringBuilder("P");
        if (Months != 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{Months}M");
        }

        if (Days != 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{Days}D");
        }

        if (Time != TimeSpan.Zero)
        {
            text.Append('T');
            if (Time.Hours + (Time.Days * 24) != 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"{Time.Hours + (Time.Days * 24)}H");
            }

            if (Time.Minutes != 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"{Time.Minutes}M");
            }

            if (Time.Seconds != 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"{Time.Seconds}S");
            }
        }

        return text.ToString();
    }

    /// <summary>Plain words for reports, e.g. "15 months" or "7 days".</summary>
    public string ToWords()
    {
        var parts = new List<string>(3);
        if (Months != 0)
        {
            parts.Add(Months == 1 ? "1 month" : $"{Months} months");
        }

        if (Days != 0)
        {
            parts.Add(Days == 1 ? "1 day" : $"{Days} days");
        }

        if (Time != TimeSpan.Zero)
        {
            parts.Add($"{Time.TotalHours:0.##} hours");
        }

        return parts.Count == 0 ? "0" : string.Join(" ", parts);
    }
}
