using AngleSharp;
using AngleSharp.Html.Dom;
using Ganss.Xss;

namespace Aggregator.Core.Extraction;

/// <summary>
/// The allow-list every served HTML fragment passes through: text structure, links and images only;
/// no forms, inputs, styles or scripts; http/https URLs only, made absolute against the page.
/// </summary>
public static class ArticleSanitizer
{
    private static readonly HtmlSanitizer Sanitizer = Create();

    /// <summary>Sanitises the body element of a document in place and returns its content as HTML.</summary>
    public static string Sanitize(IHtmlDocument document, IHtmlElement body, Uri? baseUrl)
    {
        Sanitizer.SanitizeDom(document, body, baseUrl?.ToString() ?? "");
        return body.ChildNodes.ToHtml(Sanitizer.OutputFormatter);
    }

    private static HtmlSanitizer Create()
    {
        var options = new HtmlSanitizerOptions
        {
            AllowedTags = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
            {
                "p", "br", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre", "code", "a", "em", "strong",
                "b", "i", "u", "s", "sub", "sup", "small", "mark", "q", "cite", "abbr", "time", "figure", "figcaption", "img",
                "table", "thead", "tbody", "tr", "th", "td", "caption", "dl", "dt", "dd", "hr", "span",
            },
            AllowedAttributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
            {
                "href", "src", "srcset", "alt", "title", "datetime", "colspan", "rowspan", "width", "height", "lang", "dir",
            },
            AllowedSchemes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "http", "https" },
            UriAttributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "href", "src", "srcset" },
        };
        var sanitizer = new HtmlSanitizer(options);
        sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is AngleSharp.Dom.IElement { LocalName: "a" } link)
                link.SetAttribute("rel", "nofollow noopener noreferrer");
        };
        return sanitizer;
    }
}
