using System.Globalization;
using System.Text.RegularExpressions;

namespace Aggregator.Core.Parsing;

/// <summary>Time-zone designators seen in feeds: RFC 822 names, common abbreviations, military letters, numeric offsets.</summary>
internal static partial class Zones
{
    private static readonly Dictionary<string, int> Minutes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["UT"] = 0, ["UTC"] = 0, ["GMT"] = 0, ["Z"] = 0, ["WET"] = 0, ["WEST"] = 60, ["BST"] = 60, ["IST"] = 60,
        ["CET"] = 60, ["MET"] = 60, ["MEZ"] = 60, ["CEST"] = 120, ["MEST"] = 120, ["MESZ"] = 120, ["EET"] = 120, ["EEST"] = 180,
        ["MSK"] = 180, ["SGT"] = 480, ["HKT"] = 480, ["JST"] = 540, ["KST"] = 540, ["AEST"] = 600, ["AEDT"] = 660,
        ["NZST"] = 720, ["NZDT"] = 780,
        ["EST"] = -300, ["EDT"] = -240, ["ET"] = -300, ["CST"] = -360, ["CDT"] = -300, ["CT"] = -360,
        ["MST"] = -420, ["MDT"] = -360, ["MT"] = -420, ["PST"] = -480, ["PDT"] = -420, ["PT"] = -480,
        ["AKST"] = -540, ["AKDT"] = -480, ["HST"] = -600, ["AST"] = -240, ["ADT"] = -180, ["AT"] = -240,
        ["NST"] = -210, ["NDT"] = -150,
        ["A"] = -60, ["B"] = -120, ["C"] = -180, ["D"] = -240, ["E"] = -300, ["F"] = -360, ["G"] = -420, ["H"] = -480,
        ["I"] = -540, ["K"] = -600, ["L"] = -660, ["M"] = -720, ["N"] = 60, ["O"] = 120, ["P"] = 180, ["Q"] = 240,
        ["R"] = 300, ["S"] = 360, ["T"] = 420, ["U"] = 480, ["V"] = 540, ["W"] = 600, ["X"] = 660, ["Y"] = 720,
    };

    /// <summary>The offset a designator stands for; empty means UTC; an unknown name is treated as UTC, as feedparser does.</summary>
    public static TimeSpan? Offset(string zone)
    {
        zone = zone.Trim();
        if (zone.Length == 0) return TimeSpan.Zero;
        if (Minutes.TryGetValue(zone, out var minutes)) return TimeSpan.FromMinutes(minutes);
        var m = Numeric().Match(zone);
        if (!m.Success) return TimeSpan.Zero;
        var hours = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        var mins = m.Groups[3].Success ? int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture) : 0;
        var span = new TimeSpan(hours, mins, 0);
        return m.Groups[1].Value == "-" ? -span : span;
    }

    [GeneratedRegex(@"^(?:GMT|UTC)?([+-])(\d{1,2}):?(\d{2})?$")]
    private static partial Regex Numeric();
}
