using System.Text.RegularExpressions;

namespace Aggregator.Core.Parsing;

/// <summary>
/// Rewrites localised dates into the English forms the main grammar reads, from one table of day and
/// month names: Portuguese, Spanish, French, German, Italian and Dutch (full names, abbreviations with
/// or without their dot, and the accent-less spellings that lossy encodings leave), Greek, and
/// Hungarian months; plus the Korean (Nate, OnBlog) and Hungarian layouts, and the connecting words
/// of long forms ("24 de setembro de 2018", "24. September 2018", "1er mars 2018").
/// Runs only when the English grammar failed, so English dates pay nothing.
/// </summary>
internal static partial class LocalisedDates
{
    private static readonly Dictionary<string, string> Words = Table(
        // Months. English abbreviation ← localised names (lower case; the lookup ignores case).
        ("Jan", "jan janv janvier januar jänner jaenner janner enero ene gennaio gen janeiro januari Ιαν"),
        ("Feb", "feb fév fev févr fevr février fevrier februar feber febrero febbraio fevereiro februari Φεβ"),
        ("Mar", "mar mär maer mrz märz maerz marz mars marzo março marco maart mrt Μάώ Μάρ Μαρ"),
        ("Apr", "apr avr avril april abril abr aprile Απρ"),
        ("May", "mai mayo may maggio mag maio mei Μάι Μαϊ Μαι"),
        ("Jun", "jun juin juni junio giugno giu junho Ιούν Ιον Ιουν"),
        ("Jul", "jul juil juillet juli julio luglio lug julho Ιούλ Ιολ Ιουλ"),
        ("Aug", "aug aoû aou août aout august agosto ago augustus Αύγ Αυγ"),
        ("Sep", "sep sept septembre september septiembre setiembre set settembre setembro Σεπ"),
        ("Oct", "oct octobre okt oktober octubre ottobre ott outubro out Οκτ"),
        ("Nov", "nov novembre november noviembre novembro Νοέ Νοε"),
        ("Dec", "dec déc dez dezember décembre decembre diciembre dic dicembre dezembro december Δεκ"),
        // Days: only their being a weekday matters (the grammar skips it), but they must read as one.
        ("Mon", "seg segunda segunda-feira lun lunes lundi mo montag lunedì lunedi ma maandag Δευ"),
        ("Tue", "ter terça terca terça-feira mar martes mardi di dienstag martedì martedi dinsdag Τρι"),
        ("Wed", "qua quarta quarta-feira mié mie miércoles miercoles mer mercredi mi mittwoch mercoledì mercoledi wo woensdag Τετ"),
        ("Thu", "qui quinta quinta-feira jue jueves jeu jeudi do donnerstag gio giovedì giovedi donderdag Πεμ"),
        ("Fri", "sex sexta sexta-feira vie viernes ven vendredi fr freitag venerdì venerdi vr vrijdag Παρ"),
        ("Sat", "sáb sab sábado sabado sam samedi sa samstag sonnabend sabato za zaterdag Σαβ"),
        ("Sun", "dom domingo dim dimanche so sonntag domenica zo zondag Κυρ"),
        // Hungarian months, used by the ISO-like Hungarian layout.
        ("01", "január"), ("02", "február"), ("03", "március"), ("04", "április"), ("05", "május"), ("06", "június"),
        ("07", "július"), ("08", "augusztus"), ("09", "szeptember"), ("10", "október"), ("11", "november"), ("12", "december"));

    private static Dictionary<string, string> Table(params (string English, string Names)[] rows)
    {
        var table = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (english, names) in rows)
            foreach (var name in names.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                table.TryAdd(name, english); // the first row wins: "mar" is March, "dec" December
        return table;
    }

    public static string ToEnglish(string text)
    {
        var m = KoreanNate().Match(text);
        if (m.Success)
        {
            var hour = int.Parse(m.Groups["h"].Value) % 12 + (m.Groups["pm"].Value == "오후" ? 12 : 0);
            return $"{m.Groups["date"].Value}T{hour:00}:{m.Groups["rest"].Value}+09:00";
        }
        m = KoreanOnBlog().Match(text);
        if (m.Success) return $"{m.Groups["y"].Value}-{m.Groups["mo"].Value}-{m.Groups["d"].Value}T{m.Groups["t"].Value}+09:00";
        m = Hungarian().Match(text);
        if (m.Success && HungarianMonth(m.Groups["month"].Value) is { } month)
            return $"{m.Groups["y"].Value}-{month}-{int.Parse(m.Groups["d"].Value):00}T{int.Parse(m.Groups["h"].Value):00}:{m.Groups["rest"].Value}";
        text = Connectors().Replace(text, "${d} ");
        return Word().Replace(text, w => Words.TryGetValue(w.Value, out var english) && !char.IsAsciiDigit(english[0]) ? english : w.Value);
    }

    private static readonly string[] English = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    /// <summary>"november" is Hungarian and Dutch alike: a month from either row, as its number.</summary>
    private static string? HungarianMonth(string name) =>
        !Words.TryGetValue(name, out var month) ? null
        : char.IsAsciiDigit(month[0]) ? month
        : Array.IndexOf(English, month) is >= 0 and var i ? (i + 1).ToString("00", System.Globalization.CultureInfo.InvariantCulture) : null;

    // "24 de setembro de 2018", "24. September 2018", "1er mars": the day's connecting word or dot goes.
    [GeneratedRegex(@"(?<d>\b\d{1,2})(?:\.|er|º|°)?\s+(?:de\s+|del\s+)?(?=\p{L})|(?<=\p{L}\.?)\s+(?:de|del)\s+(?=\d{4})", RegexOptions.IgnoreCase)]
    private static partial Regex Connectors();

    [GeneratedRegex(@"^(?<date>\d{4}-\d\d-\d\d) (?<pm>오전|오후) (?<h>\d{1,2}):(?<rest>\d\d:\d\d)$")]
    private static partial Regex KoreanNate();

    [GeneratedRegex(@"^(?<y>\d{4})년 (?<mo>\d\d)월 (?<d>\d\d)일 (?<t>\d\d:\d\d:\d\d)$")]
    private static partial Regex KoreanOnBlog();

    [GeneratedRegex(@"^(?<y>\d{4})-(?<month>[^\d\s-]+)-(?<d>\d{1,2})T(?<h>\d{1,2}):(?<rest>\d\d.*)$")]
    private static partial Regex Hungarian();

    [GeneratedRegex(@"\p{L}[\p{L}-]*")]
    private static partial Regex Word();
}
