namespace Aggregator.Core.Parsing;

/// <summary>
/// The two shapes nearly every feed date has, read by position without a regex: RFC 822
/// ("Wed, 22 Mar 2023 08:00:00 +0000", "… GMT") and W3C-DTF ("2023-03-22T08:00:00Z",
/// "…+02:00", with fractions). Anything else (or anything odd) returns null and goes to the full
/// grammar of <see cref="DateParser"/>, which gives the same answer for these shapes.
/// </summary>
internal static class FastDates
{
    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    public static DateTimeOffset? Parse(string s) =>
        s.Length >= 20 && char.IsAsciiDigit(s[0]) ? W3c(s) : s.Length >= 24 && s[3] == ',' ? Rfc822(s) : null;

    /// <summary>"Ddd, DD Mon YYYY HH:MM:SS ZONE" exactly (two-digit day, four-digit year, seconds present).</summary>
    private static DateTimeOffset? Rfc822(string s)
    {
        if (s[4] != ' ' || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' || s[19] != ':' || s[22] != ':' || (s.Length > 25 && s[25] != ' ')) return null;
        if (s.Length < 26) return null;
        var month = MonthOf(s.AsSpan(8, 3));
        if (month == 0 || !Number(s, 5, 2, out var day) || !Number(s, 12, 4, out var year)
            || !Number(s, 17, 2, out var hour) || !Number(s, 20, 2, out var minute) || !Number(s, 23, 2, out var second)) return null;
        var zone = s.AsSpan(26);
        TimeSpan offset;
        if (zone is "GMT" or "UTC" or "UT" or "Z") offset = TimeSpan.Zero;
        else if (zone.Length == 5 && zone[0] is '+' or '-' && Number(s, 27, 2, out var zh) && Number(s, 29, 2, out var zm))
            offset = (zone[0] == '-' ? -1 : 1) * new TimeSpan(zh, zm, 0);
        else return null;
        return Build(year, month, day, hour, minute, second, 0, offset);
    }

    /// <summary>"YYYY-MM-DDTHH:MM:SS" with an optional fraction and "Z" or "±HH:MM".</summary>
    private static DateTimeOffset? W3c(string s)
    {
        if (s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':') return null;
        if (!Number(s, 0, 4, out var year) || !Number(s, 5, 2, out var month) || !Number(s, 8, 2, out var day)
            || !Number(s, 11, 2, out var hour) || !Number(s, 14, 2, out var minute) || !Number(s, 17, 2, out var second)) return null;
        var at = 19;
        long ticks = 0;
        if (at < s.Length && s[at] == '.')
        {
            var scale = TimeSpan.TicksPerSecond;
            for (at++; at < s.Length && char.IsAsciiDigit(s[at]); at++)
                if ((scale /= 10) > 0) ticks += (s[at] - '0') * scale;
        }
        TimeSpan offset;
        if (s.Length == at + 1 && s[at] == 'Z') offset = TimeSpan.Zero;
        else if (s.Length == at + 6 && s[at] is '+' or '-' && s[at + 3] == ':' && Number(s, at + 1, 2, out var zh) && Number(s, at + 4, 2, out var zm))
            offset = (s[at] == '-' ? -1 : 1) * new TimeSpan(zh, zm, 0);
        else return null;
        return Build(year, month, day, hour, minute, second, ticks, offset);
    }

    private static int MonthOf(ReadOnlySpan<char> name)
    {
        for (var i = 0; i < Months.Length; i++)
            if (name.SequenceEqual(Months[i])) return i + 1;
        return 0;
    }

    private static DateTimeOffset? Build(int year, int month, int day, int hour, int minute, int second, long ticks, TimeSpan offset)
    {
        // Only the plainly valid; edge cases (24:00, leap seconds, extreme offsets, year 1) take the full path.
        if (year < 2 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59 || Math.Abs(offset.TotalHours) > 14) return null;
        return new DateTimeOffset(year, month, day, hour, minute, second, offset).AddTicks(ticks).ToUniversalTime();
    }

    private static bool Number(string s, int at, int length, out int value)
    {
        value = 0;
        for (var i = at; i < at + length; i++)
        {
            if (!char.IsAsciiDigit(s[i])) return false;
            value = value * 10 + s[i] - '0';
        }
        return true;
    }
}
