using System.Net;
using System.Text;
using AngleSharp.Dom;

namespace Aggregator.Core.Extraction;

/// <summary>
/// Serialises a block's content keeping only inline formatting, links and images (everything else is
/// unwrapped to its text). Linear in the number of nodes, unlike AngleSharp's InnerHtml on wide
/// nodes; the result still passes through <see cref="ArticleSanitizer"/>.
/// </summary>
internal static class InlineHtml
{
    private static readonly HashSet<string> Kept = ["a", "em", "strong", "b", "i", "u", "s", "sub", "sup", "small", "mark", "q", "cite", "abbr", "time", "code", "br", "img"];

    public static string Of(IEnumerable<INode> nodes)
    {
        var html = new StringBuilder();
        foreach (var node in nodes) Write(node, html);
        return html.ToString();
    }

    private static void Write(INode node, StringBuilder html)
    {
        switch (node)
        {
            case IText text:
                html.Append(WebUtility.HtmlEncode(text.Data));
                break;
            case IElement { LocalName: "br" }:
                html.Append("<br>");
                break;
            case IElement { LocalName: "img" } img when img.GetAttribute("src") is { Length: > 0 } src && !src.StartsWith("data:", StringComparison.OrdinalIgnoreCase):
                html.Append("<img src=\"").Append(WebUtility.HtmlEncode(src)).Append("\" alt=\"")
                    .Append(WebUtility.HtmlEncode(img.GetAttribute("alt") ?? "")).Append('"');
                if (img.GetAttribute("srcset") is { Length: > 0 } srcset) html.Append(" srcset=\"").Append(WebUtility.HtmlEncode(srcset)).Append('"');
                html.Append('>');
                break;
            case IElement element when Kept.Contains(element.LocalName):
                html.Append('<').Append(element.LocalName);
                if (element.LocalName == "a" && element.GetAttribute("href") is { } href) html.Append(" href=\"").Append(WebUtility.HtmlEncode(href)).Append('"');
                if (element.LocalName == "time" && element.GetAttribute("datetime") is { } dt) html.Append(" datetime=\"").Append(WebUtility.HtmlEncode(dt)).Append('"');
                html.Append('>');
                foreach (var child in element.ChildNodes) Write(child, html);
                html.Append("</").Append(element.LocalName).Append('>');
                break;
            case IElement other:
                foreach (var child in other.ChildNodes) Write(child, html);
                break;
        }
    }
}
