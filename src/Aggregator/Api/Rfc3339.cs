using System.Globalization;
using System.Text.RegularExpressions;

namespace Aggregator.Api;

/// <summary>
/// RFC 3339 §5.6 date-time, as clients send it: 'T'/'t' (or a space, §5.6 NOTE), 'Z'/'z', any number
/// of fractional digits (kept to 100 ns), any offset up to ±23:59 (wider than DateTimeOffset's ±14 h,
/// so the offset is applied by hand), a leap second :60, and a '+' that an unencoded query string turned into a space; or a full-date alone, meaning midnight UTC.
/// </summary>
internal static partial class Rfc3339
{
    public static DateTime? TryParse(string value)
    {
        var m = Pattern().Match(value);
        if (!m.Success) return null;
        int Part(string group) => int.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);
        try
        {
            var date = new DateTime(Part("y"), Part("mo"), Part("d"), 0, 0, 0, DateTimeKind.Utc);
            if (!m.Groups["h"].Success) return date;
            var (hour, minute, second) = (Part("h"), Part("mi"), Part("s"));
            if (hour > 23 || minute > 59 || second > 60) return null;
            var fraction = m.Groups["f"].Success ? m.Groups["f"].Value.PadRight(7, '0')[..7] : "0";
            var local = date.AddHours(hour).AddMinutes(minute).AddSeconds(second).AddTicks(long.Parse(fraction, CultureInfo.InvariantCulture));
            if (m.Groups["z"].Value is "Z" or "z") return local;
            var (offsetHours, offsetMinutes) = (Part("oh"), Part("om"));
            if (offsetHours > 23 || offsetMinutes > 59) return null;
            var offset = new TimeSpan(offsetHours, offsetMinutes, 0);
            return m.Groups["sign"].Value == "-" ? local + offset : local - offset;
        }
        catch (ArgumentOutOfRangeException)
        {
            return null; // 2026-02-30, or past year 9999 once the offset is applied
        }
    }

    [GeneratedRegex(@"^(?<y>[0-9]{4})-(?<mo>[0-9]{2})-(?<d>[0-9]{2})(?:[Tt ](?<h>[0-9]{2}):(?<mi>[0-9]{2}):(?<s>[0-9]{2})(?:\.(?<f>[0-9]{1,30}))?(?<z>[Zz]|(?<sign>[+ -])(?<oh>[0-9]{2}):(?<om>[0-9]{2})))?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
