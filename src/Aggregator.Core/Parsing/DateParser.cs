using System.Globalization;
using System.Text.RegularExpressions;

namespace Aggregator.Core.Parsing;

/// <summary>
/// Parses the dates feeds actually contain: RFC 822/1123 with named or numeric zones, W3C-DTF and
/// ISO 8601 (truncated and ordinal forms included), asctime, and the sloppy and localised forms
/// feedparser knows (missing or wrong weekday, two-digit years, extra spaces, slashes), and, when
/// the English grammar fails, the localised names of <see cref="LocalisedDates"/>'s one table.
/// Always invariant culture, never the clock; unknown → null.
/// </summary>
public static partial class DateParser
{
    public static DateTimeOffset? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        text = text.Trim();
        if (FastDates.Parse(text) is { } fast) return fast;
        if (text.Contains("  ", StringComparison.Ordinal) || text.AsSpan().IndexOfAny(OtherSpaces) >= 0) text = Spaces().Replace(text, " ");
        return ParseEnglish(text) ?? (LocalisedDates.ToEnglish(text) is var english && english != text ? ParseEnglish(english) : null);
    }

    private static readonly System.Buffers.SearchValues<char> OtherSpaces = System.Buffers.SearchValues.Create("\t\n\r\f\v\u00A0\u2009\u202F");

    private static DateTimeOffset? ParseEnglish(string text) =>
        ParseIso(text) ?? ParseRfc822(text) ?? ParseAsctime(text) ?? ParseSlashed(text);

    private static DateTimeOffset? ParseIso(string text)
    {
        var m = Iso().Match(text);
        if (!m.Success) return null;
        var (year, month, day) = IsoDate(m);
        if (year < 0) return null;
        var fraction = m.Groups["frac"].Success ? double.Parse("0." + m.Groups["frac"].Value, CultureInfo.InvariantCulture) : 0;
        var zone = m.Groups["zone"].Value;
        return Build(year, month, day, Int(m, "hour"), Int(m, "minute"), Int(m, "second"), zone.Length == 0 ? TimeSpan.Zero : Zones.Offset(zone))
            ?.AddTicks((long)(fraction * TimeSpan.TicksPerSecond));
    }

    /// <summary>Calendar, ordinal and truncated (two-digit year, "-YYMM") ISO 8601 dates.</summary>
    private static (int Year, int Month, int Day) IsoDate(Match m)
    {
        var year = m.Groups["year"].Success ? Int(m, "year") : Century(Int(m, "yy"));
        if (m.Groups["ordinal"].Success)
        {
            var ordinal = Int(m, "ordinal");
            if (ordinal < 1 || ordinal > (DateTime.IsLeapYear(Math.Clamp(year, 1, 9999)) ? 366 : 365)) return (-1, 0, 0);
            var date = new DateTime(Math.Clamp(year, 1, 9999), 1, 1).AddDays(ordinal - 1);
            return (year, date.Month, date.Day);
        }
        return (year, m.Groups["month"].Success ? Int(m, "month") : 1, m.Groups["day"].Success ? Int(m, "day") : 1);
    }

    private static DateTimeOffset? ParseRfc822(string text)
    {
        var m = Rfc822().Match(text);
        if (!m.Success) return null;
        var year = Int(m, "year");
        if (m.Groups["year"].Value.Length == 2) year = Century(year);
        var hour = Int(m, "hour");
        if (m.Groups["ampm"].Success && hour is >= 1 and <= 12)
            hour = hour % 12 + (char.ToUpperInvariant(m.Groups["ampm"].Value[0]) == 'P' ? 12 : 0);
        return Build(year, Month(m.Groups["month"].Value), Int(m, "day"), hour, Int(m, "minute"), Int(m, "second"), Zones.Offset(m.Groups["zone"].Value));
    }

    /// <summary>asctime ("Sun Jan  4 16:29:06 2004", also with a zone before the year), JavaScript's Date.toString ("Thu Aug 30 2012 17:26:16 +0200"), and "May 12, 2009".</summary>
    private static DateTimeOffset? ParseAsctime(string text)
    {
        var m = Asctime().Match(text);
        if (!m.Success) return null;
        return Build(Int(m, "year"), Month(m.Groups["month"].Value), Int(m, "day"), Int(m, "hour"), Int(m, "minute"), Int(m, "second"), Zones.Offset(m.Groups["zone"].Value));
    }

    /// <summary>Perforce and friends: "Fri, 2006/09/15 08:19:53 EDT".</summary>
    private static DateTimeOffset? ParseSlashed(string text)
    {
        var m = Slashed().Match(text);
        if (!m.Success) return null;
        return Build(Int(m, "year"), Int(m, "month"), Int(m, "day"), Int(m, "hour"), Int(m, "minute"), Int(m, "second"), Zones.Offset(m.Groups["zone"].Value));
    }

    private static int Int(Match m, string group) =>
        m.Groups[group].Success && m.Groups[group].Length > 0 ? int.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture) : 0;

    /// <summary>Two-digit years: 00-49 are 20xx, 50-99 are 19xx.</summary>
    private static int Century(int yy) => yy < 50 ? 2000 + yy : 1900 + yy;

    private static int Month(string name) =>
        name.Length >= 3 ? Array.IndexOf(MonthNames, name[..3].ToLowerInvariant()) + 1 : 0;

    private static readonly string[] MonthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    private static DateTimeOffset? Build(int year, int month, int day, int hour, int minute, int second, TimeSpan? offset)
    {
        if (offset is null || year is < 1 or > 9999 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)) return null;
        if (hour == 24 && minute == 0 && second == 0) return Build(year, month, day, 0, 0, 0, offset)?.AddDays(1);
        if (hour > 23 || minute > 59 || second > 60 || Math.Abs(offset.Value.TotalHours) > 14) return null;
        try
        {
            return new DateTimeOffset(year, month, day, hour, minute, Math.Min(second, 59), offset.Value).ToUniversalTime();
        }
        catch (ArgumentOutOfRangeException)
        {
            return null; // e.g. 0001-01-01 with a positive offset falls before year 1 in UTC
        }
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"^(?:(?<year>\d{4})(?:-?(?:(?<ordinal>\d{3})(?!\d)|(?<month>0?\d\d)(?:-?(?<day>\d\d))?))?|(?<yy>\d\d)-?(?:(?<ordinal>\d{3})|(?<month>\d\d)-?(?<day>\d\d))|-(?<yy>\d\d)-?(?<month>\d\d))(?:[T ](?<hour>\d{1,2}):?(?<minute>\d\d)(?::?(?<second>\d\d)(?:[.,](?<frac>\d+))?)?)? ?(?<zone>Z|[+-]\d\d(?::?\d\d)?|[A-Za-z]{1,5})?$")]
    private static partial Regex Iso();

    // Zones: a numeric offset (after an optional GMT/UTC) is tried before a name, so "GMT+0100" is +01:00.
    [GeneratedRegex(@"^(?:[A-Za-z]+\.?,? ?)?(?<day>\d{1,2})[ -](?<month>[A-Za-z]{3,9})\.?[ -](?<year>\d{4}|\d{3}|\d{2})(?:,? (?<hour>\d{1,2}):(?<minute>\d{1,2})(?::(?<second>\d{1,2}))?(?: ?(?<ampm>[AaPp][Mm])\b)?)? ?(?<zone>(?:GMT|UTC)?[+-]\d{1,2}(?::?\d{2})?|[A-Za-z]{1,5})?")]
    private static partial Regex Rfc822();

    [GeneratedRegex(@"^(?:[A-Za-z]+,? )?(?<month>[A-Za-z]{3,9})\.? (?<day>\d{1,2}),? (?:(?<year>\d{4}) (?<hour>\d{1,2}):(?<minute>\d\d)(?::(?<second>\d\d))?|(?<hour>\d{1,2}):(?<minute>\d\d)(?::(?<second>\d\d))? (?:(?<zone>[A-Za-z]{1,5}) )?(?<year>\d{4})|(?<year>\d{4})$)(?: (?<zone>(?:GMT|UTC)?[+-]\d{1,2}(?::?\d{2})?|[A-Za-z]{1,5}))?")]
    private static partial Regex Asctime();

    [GeneratedRegex(@"^(?:[A-Za-z]+,? )?(?<year>\d{4})/(?<month>\d{1,2})/(?<day>\d{1,2})(?: (?<hour>\d{1,2}):(?<minute>\d\d)(?::(?<second>\d\d))?)?(?: (?<zone>[A-Za-z]{1,5}|[+-]\d{2}:?\d{2}))?$")]
    private static partial Regex Slashed();
}
