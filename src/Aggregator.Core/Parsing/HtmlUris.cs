using System.Net;
using System.Text.RegularExpressions;

namespace Aggregator.Core.Parsing;

/// <summary>Makes the URI attributes inside an HTML fragment absolute against a base (xml:base, then the document).</summary>
public static partial class HtmlUris
{
    public static string Resolve(string html, Uri? baseUri)
    {
        if (baseUri is null || html.IndexOf('<') < 0) return html;
        return Tag().Replace(html, tag => Attribute().Replace(tag.Value, attr =>
        {
            var quote = attr.Groups["q"].Value;
            var raw = attr.Groups["v"].Value;
            var value = WebUtility.HtmlDecode(raw).Trim();
            if (value.Length == 0 || value.StartsWith('#') || Uri.TryCreate(value, UriKind.Absolute, out var abs) && !abs.IsFile)
                return attr.Value;
            if (!Uri.TryCreate(baseUri, value, out var resolved)) return attr.Value;
            var encoded = resolved.ToString().Replace("&", "&amp;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal);
            return $"{attr.Groups["name"].Value}={(quote.Length == 0 ? "\"" : quote)}{encoded}{(quote.Length == 0 ? "\"" : quote)}";
        }));
    }

    /// <summary>
    /// A '&lt;' that cannot open markup ("&lt;!'", "a &lt; b", "&lt;3") is text, and stays escaped, as an HTML
    /// parser reads it; tags, end tags, comments, CDATA, declarations and processing instructions are kept.
    /// </summary>
    public static string EscapeStrayLessThan(string html)
    {
        var at = html.IndexOf('<');
        if (at < 0) return html;
        System.Text.StringBuilder? output = null;
        var copied = 0;
        for (; at >= 0; at = html.IndexOf('<', at + 1))
        {
            if (OpensMarkup(html, at)) continue;
            output ??= new System.Text.StringBuilder(html.Length + 16);
            output.Append(html, copied, at - copied).Append("&lt;");
            copied = at + 1;
        }
        return output is null ? html : output.Append(html, copied, html.Length - copied).ToString();
    }

    private static bool OpensMarkup(string html, int at)
    {
        if (at + 1 >= html.Length) return false;
        var next = html[at + 1];
        if (char.IsAsciiLetter(next) || next is '/' or '?') return true;
        if (next != '!') return false;
        var rest = html.AsSpan(at + 2);
        return rest.StartsWith("--") || rest.StartsWith("[CDATA[") || rest.StartsWith("doctype", StringComparison.OrdinalIgnoreCase);
    }

    [GeneratedRegex(@"<[A-Za-z][^<>]*>")]
    private static partial Regex Tag();

    [GeneratedRegex("""(?<=\s)(?<name>href|src|action|background|cite|codebase|data|longdesc|profile|usemap|poster)\s*=\s*(?:(?<q>")(?<v>[^"]*)"|(?<q>')(?<v>[^']*)'|(?<q>)(?<v>[^\s"'>]+))""", RegexOptions.IgnoreCase)]
    private static partial Regex Attribute();
}
