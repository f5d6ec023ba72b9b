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

    [GeneratedRegex(@"<[A-Za-z][^<>]*>")]
    private static partial Regex Tag();

    [GeneratedRegex("""(?<=\s)(?<name>href|src|action|background|cite|codebase|data|longdesc|profile|usemap|poster)\s*=\s*(?:(?<q>")(?<v>[^"]*)"|(?<q>')(?<v>[^']*)'|(?<q>)(?<v>[^\s"'>]+))""", RegexOptions.IgnoreCase)]
    private static partial Regex Attribute();
}
