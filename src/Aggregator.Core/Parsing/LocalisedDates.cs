using System.Text.RegularExpressions;

namespace Aggregator.Core.Parsing;

/// <summary>
/// Rewrites the localised date forms feedparser understands into English ones the main grammar
/// reads: Greek month and day names, Hungarian month names, and Korean (Nate, OnBlog) dates.
/// </summary>
internal static partial class LocalisedDates
{
    private static readonly Dictionary<string, string> Words = new(StringComparer.OrdinalIgnoreCase)
    {
        // Greek
        ["Ιαν"] = "Jan", ["Φεβ"] = "Feb", ["Μάώ"] = "Mar", ["Μάρ"] = "Mar", ["Μαρ"] = "Mar", ["Απρ"] = "Apr", ["Μάι"] = "May", ["Μαϊ"] = "May",
        ["Μαι"] = "May", ["Ιούν"] = "Jun", ["Ιον"] = "Jun", ["Ιουν"] = "Jun", ["Ιούλ"] = "Jul", ["Ιολ"] = "Jul", ["Ιουλ"] = "Jul",
        ["Αύγ"] = "Aug", ["Αυγ"] = "Aug", ["Σεπ"] = "Sep", ["Οκτ"] = "Oct", ["Νοέ"] = "Nov", ["Νοε"] = "Nov", ["Δεκ"] = "Dec",
        ["Κυρ"] = "Sun", ["Δευ"] = "Mon", ["Τρι"] = "Tue", ["Τετ"] = "Wed", ["Πεμ"] = "Thu", ["Παρ"] = "Fri", ["Σαβ"] = "Sat",
        // Hungarian
        ["január"] = "01", ["február"] = "02", ["március"] = "03", ["április"] = "04", ["május"] = "05", ["június"] = "06",
        ["július"] = "07", ["augusztus"] = "08", ["szeptember"] = "09", ["október"] = "10", ["november"] = "11", ["december"] = "12",
    };

    public static string ToEnglish(string text)
    {
        if (text.All(char.IsAscii)) return text;
        var m = KoreanNate().Match(text);
        if (m.Success)
        {
            var hour = int.Parse(m.Groups["h"].Value) % 12 + (m.Groups["pm"].Value == "오후" ? 12 : 0);
            return $"{m.Groups["date"].Value}T{hour:00}:{m.Groups["rest"].Value}+09:00";
        }
        m = KoreanOnBlog().Match(text);
        if (m.Success) return $"{m.Groups["y"].Value}-{m.Groups["mo"].Value}-{m.Groups["d"].Value}T{m.Groups["t"].Value}+09:00";
        m = Hungarian().Match(text);
        if (m.Success && Words.TryGetValue(m.Groups["month"].Value, out var month))
            return $"{m.Groups["y"].Value}-{month}-{int.Parse(m.Groups["d"].Value):00}T{int.Parse(m.Groups["h"].Value):00}:{m.Groups["rest"].Value}";
        return Word().Replace(text, w => Words.TryGetValue(w.Value, out var english) ? english : w.Value);
    }

    [GeneratedRegex(@"^(?<date>\d{4}-\d\d-\d\d) (?<pm>오전|오후) (?<h>\d{1,2}):(?<rest>\d\d:\d\d)$")]
    private static partial Regex KoreanNate();

    [GeneratedRegex(@"^(?<y>\d{4})년 (?<mo>\d\d)월 (?<d>\d\d)일 (?<t>\d\d:\d\d:\d\d)$")]
    private static partial Regex KoreanOnBlog();

    [GeneratedRegex(@"^(?<y>\d{4})-(?<month>[^\d\s-]+)-(?<d>\d{1,2})T(?<h>\d{1,2}):(?<rest>\d\d.*)$")]
    private static partial Regex Hungarian();

    [GeneratedRegex(@"\p{L}+")]
    private static partial Regex Word();
}
