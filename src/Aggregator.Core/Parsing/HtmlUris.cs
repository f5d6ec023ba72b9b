using System.Net;
using System.Text.RegularExpressions;

namespace Aggregator.Core.Parsing;

/// <summary>Makes the URI attributes inside an HTML fragment absolute against a base (xml:base, then the document).</summary>
public static partial class HtmlUris
{
    public static string Resolve(string html, Uri? baseUri)
    {
        if (baseUri is null || html.IndexOf('<') < 0) return html;
        System.Text.StringBuilder? output = null;
        var copied = 0;
        foreach (var tag in Tag().EnumerateMatches(html))
        {
            if (html.AsSpan(tag.Index, tag.Length).IndexOf('=') < 0) continue; // no attributes: nothing to resolve
            for (var attr = Attribute().Match(html, tag.Index, tag.Length); attr.Success; attr = attr.NextMatch())
            {
                if (Resolved(attr, baseUri) is not { } replacement) continue;
                output ??= new System.Text.StringBuilder(html.Length + 64);
                output.Append(html, copied, attr.Index - copied).Append(replacement);
                copied = attr.Index + attr.Length;
            }
        }
        return output is null ? html : output.Append(html, copied, html.Length - copied).ToString();
    }

    /// <summary>The attribute rewritten with its URI made absolute, or null when it stays as written.</summary>
    private static string? Resolved(Match attr, Uri baseUri)
    {
        var quote = attr.Groups["q"].Value;
        var value = WebUtility.HtmlDecode(attr.Groups["v"].Value).Trim();
        if (value.Length == 0 || value.StartsWith('#') || Uri.TryCreate(value, UriKind.Absolute, out var abs) && !abs.IsFile)
            return null;
        if (!Uri.TryCreate(baseUri, value, out var resolved)) return null;
        var encoded = resolved.ToString().Replace("&", "&amp;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal);
        var rewritten = $"{attr.Groups["name"].Value}={(quote.Length == 0 ? "\"" : quote)}{encoded}{(quote.Length == 0 ? "\"" : quote)}";
        return rewritten == attr.Value ? null : rewritten;
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
