using System.Globalization;
using System.Text.RegularExpressions;

namespace Aggregator.Core.Parsing;

/// <summary>
/// Parses the dates feeds actually contain: RFC 822/1123 with named or numeric zones, W3C-DTF and
/// ISO 8601 variants, and the usual sloppy forms (no weekday, wrong weekday, two-digit years,
/// extra spaces). Always invariant culture; unknown → null.
/// </summary>
public static partial class DateParser
{
    private static readonly Dictionary<string, int> ZoneMinutes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["UT"] = 0, ["UTC"] = 0, ["GMT"] = 0, ["Z"] = 0, ["WET"] = 0, ["BST"] = 60, ["CET"] = 60, ["CEST"] = 120,
        ["EET"] = 120, ["EEST"] = 180, ["MSK"] = 180, ["IST"] = 330, ["SGT"] = 480, ["HKT"] = 480, ["JST"] = 540,
        ["KST"] = 540, ["AEST"] = 600, ["AEDT"] = 660, ["NZST"] = 720, ["NZDT"] = 780,
        ["EST"] = -300, ["EDT"] = -240, ["CST"] = -360, ["CDT"] = -300, ["MST"] = -420, ["MDT"] = -360,
        ["PST"] = -480, ["PDT"] = -420, ["AKST"] = -540, ["AKDT"] = -480, ["HST"] = -600, ["AST"] = -240, ["ADT"] = -180,
        ["NST"] = -210, ["NDT"] = -150, ["A"] = -60, ["M"] = -720, ["N"] = 60, ["Y"] = 720,
    };

    private static readonly string[] Months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    public static DateTimeOffset? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        text = Spaces().Replace(text.Trim(), " ");
        var result = ParseIso(text) ?? ParseRfc822(text);
        return result is { } r && r.Year is >= 1970 and <= 2200 ? r.ToUniversalTime() : null;
    }

    private static DateTimeOffset? ParseIso(string text)
    {
        var m = Iso().Match(text);
        if (!m.Success) return null;
        int Part(string name, int fallback) => m.Groups[name].Success ? int.Parse(m.Groups[name].Value, CultureInfo.InvariantCulture) : fallback;
        var offset = ZoneOffset(m.Groups["zone"].Value);
        var fraction = m.Groups["frac"].Success ? double.Parse("0." + m.Groups["frac"].Value, CultureInfo.InvariantCulture) : 0;
        return Build(Part("year", 0), Part("month", 1), Part("day", 1), Part("hour", 0), Part("minute", 0), Part("second", 0), offset ?? TimeSpan.Zero)
            ?.AddTicks((long)(fraction * TimeSpan.TicksPerSecond));
    }

    private static DateTimeOffset? ParseRfc822(string text)
    {
        var m = Rfc822().Match(text);
        if (!m.Success) return null;
        var month = Array.IndexOf(Months, m.Groups["month"].Value[..3].ToLowerInvariant()) + 1;
        if (month == 0) return null;
        var year = int.Parse(m.Groups["year"].Value, CultureInfo.InvariantCulture);
        if (m.Groups["year"].Value.Length == 2) year += year < 50 ? 2000 : 1900;
        var day = int.Parse(m.Groups["day"].Value, CultureInfo.InvariantCulture);
        var hour = m.Groups["hour"].Success ? int.Parse(m.Groups["hour"].Value, CultureInfo.InvariantCulture) : 0;
        var minute = m.Groups["minute"].Success ? int.Parse(m.Groups["minute"].Value, CultureInfo.InvariantCulture) : 0;
        var second = m.Groups["second"].Success ? int.Parse(m.Groups["second"].Value, CultureInfo.InvariantCulture) : 0;
        var offset = ZoneOffset(m.Groups["zone"].Value) ?? TimeSpan.Zero;
        return Build(year, month, day, hour, minute, second, offset);
    }

    private static TimeSpan? ZoneOffset(string zone)
    {
        if (zone.Length == 0) return null;
        if (ZoneMinutes.TryGetValue(zone.Trim(), out var minutes)) return TimeSpan.FromMinutes(minutes);
        var m = NumericZone().Match(zone);
        if (!m.Success) return null;
        var hours = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        var mins = m.Groups[3].Success ? int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture) : 0;
        var span = new TimeSpan(hours, mins, 0);
        return m.Groups[1].Value == "-" ? -span : span;
    }

    private static DateTimeOffset? Build(int year, int month, int day, int hour, int minute, int second, TimeSpan offset)
    {
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Clamp(year, 1, 9999), month)) return null;
        if (hour == 24 && minute == 0 && second == 0) return Build(year, month, day, 0, 0, 0, offset)?.AddDays(1);
        if (hour > 23 || minute > 59 || second > 60 || Math.Abs(offset.TotalHours) > 14) return null;
        return new DateTimeOffset(year, month, day, hour, minute, Math.Min(second, 59), offset);
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"^(?<year>\d{4})(?:-?(?<month>\d{2})(?:-?(?<day>\d{2}))?)?(?:[T ](?<hour>\d{2}):?(?<minute>\d{2})(?::?(?<second>\d{2})(?:[.,](?<frac>\d+))?)?)? ?(?<zone>Z|[+-]\d{2}:?\d{2}|[+-]\d{2}|[A-Za-z]{1,5})?$")]
    private static partial Regex Iso();

    [GeneratedRegex(@"^(?:[A-Za-z]+,? ?)?(?<day>\d{1,2})[ -](?<month>[A-Za-z]{3,9})\.?[ -](?<year>\d{4}|\d{2})(?:,? (?<hour>\d{1,2}):(?<minute>\d{2})(?::(?<second>\d{2}))?)? ?(?<zone>[A-Za-z]{1,5}|[+-]\d{2}:?\d{2})?")]
    private static partial Regex Rfc822();

    [GeneratedRegex(@"^(?:GMT|UTC)?([+-])(\d{1,2}):?(\d{2})?$")]
    private static partial Regex NumericZone();
}
