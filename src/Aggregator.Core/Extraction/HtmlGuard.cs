using System.Text;
using System.Text.RegularExpressions;

namespace Aggregator.Core.Extraction;

/// <summary>
/// Bounds hostile markup before it reaches the HTML parser, in one linear pass: tags nested deeper
/// than <see cref="MaxDepth"/> are dropped (the parser is quadratic in nesting depth) and runs of
/// &lt;br&gt; collapse to two. Real pages nest a few dozen levels; nothing legitimate is lost. Comments,
/// declarations, elements whose end tag is optional and "tags" inside scripts and styles open no level.
/// </summary>
internal static partial class HtmlGuard
{
    public const int MaxDepth = 256;

    /// <summary>Beyond this many tags the rest of the page keeps its text but loses its markup.</summary>
    public const int MaxTags = 20_000;

    private static readonly HashSet<string> VoidElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr", "!doctype",
    };

    /// <summary>
    /// Elements whose end tag is optional and which cannot nest in themselves (the parser closes an open
    /// &lt;p&gt; or &lt;li&gt; at the next one): pages that never close them are flat, not deep, and counting
    /// them as depth cut the markup of such pages after a few hundred paragraphs.
    /// </summary>
    private static readonly HashSet<string> OptionalEnd = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody", "tfoot", "colgroup", "rt", "rp",
    };

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> VoidLookup = VoidElements.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> OptionalEndLookup = OptionalEnd.GetAlternateLookup<ReadOnlySpan<char>>();

    public static string Limit(string html)
    {
        html = BreakRuns().Replace(html, "<br><br>");
        StringBuilder? output = null; // only when a tag is dropped: most pages come back as they are
        var depth = 0;
        var dropped = 0;
        var last = 0;
        var tags = 0;
        string? rawText = null;
        foreach (var tag in Tag().EnumerateMatches(html))
        {
            var value = html.AsSpan(tag.Index, tag.Length);
            var closing = value[1] == '/';
            var name = TagName(value[(closing ? 2 : 1)..]);
            if (rawText is not null)
            {
                // Inside <script>/<style> "tags" are text (markup in JS strings, templates): they open nothing.
                if (!closing || !name.Equals(rawText, StringComparison.OrdinalIgnoreCase)) continue;
                rawText = null;
            }
            bool keep;
            if (++tags > MaxTags) keep = false;
            // "<!--nextpage-->", "<!DOCTYPE>", "<![CDATA[": markup declarations and comments open nothing.
            else if (name[0] == '!' || VoidLookup.Contains(name) || OptionalEndLookup.Contains(name) || value.EndsWith("/>", StringComparison.Ordinal)) keep = true;
            else keep = closing ? Close(ref depth, ref dropped) : Open(ref depth, ref dropped);
            if (keep && !closing)
            {
                if (name.Equals("script", StringComparison.OrdinalIgnoreCase)) rawText = "script";
                else if (name.Equals("style", StringComparison.OrdinalIgnoreCase)) rawText = "style";
            }
            if (keep) continue;
            output ??= new StringBuilder(html.Length);
            output.Append(html, last, tag.Index - last);
            last = tag.Index + tag.Length;
        }
        if (output is null) return html;
        return output.Append(html, last, html.Length - last).ToString();
    }

    /// <summary>The name at the start of a tag's text (<see cref="Tag"/>'s second group): a letter or '!', then letters, digits, ':' and '-'.</summary>
    private static ReadOnlySpan<char> TagName(ReadOnlySpan<char> rest)
    {
        var end = 1;
        while (end < rest.Length && (char.IsAsciiLetterOrDigit(rest[end]) || rest[end] is ':' or '-')) end++;
        return rest[..end];
    }

    private static bool Open(ref int depth, ref int dropped)
    {
        if (depth < MaxDepth)
        {
            depth++;
            return true;
        }
        dropped++;
        return false;
    }

    private static bool Close(ref int depth, ref int dropped)
    {
        if (dropped > 0)
        {
            dropped--;
            return false;
        }
        if (depth > 0) depth--;
        return true;
    }

    [GeneratedRegex(@"<(/?)([a-zA-Z!][a-zA-Z0-9:-]*)[^>]*>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"(?:<br\s*/?>\s*){3,}", RegexOptions.IgnoreCase)]
    private static partial Regex BreakRuns();
}
