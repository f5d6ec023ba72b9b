using System.Text;
using AngleSharp.Dom;

namespace Aggregator.Core.Extraction;

/// <summary>
/// Copies a block's content into the body's document keeping only inline formatting, links and
/// images (everything else is unwrapped to its text): new nodes, the page's own left untouched.
/// Linear in the number of nodes; the result still passes through <see cref="ArticleSanitizer"/>.
/// </summary>
internal static class InlineHtml
{
    private static readonly HashSet<string> Kept = ["a", "em", "strong", "b", "i", "u", "s", "sub", "sup", "small", "mark", "q", "cite", "abbr", "time", "code", "br", "img"];

    public static void AppendTo(IElement parent, IEnumerable<INode> nodes)
    {
        foreach (var node in nodes) Append(parent, node);
    }

    /// <summary>Whether <see cref="AppendTo"/> would add anything: text, a line break, an image or a kept element.</summary>
    public static bool Writes(IEnumerable<INode> nodes)
    {
        foreach (var node in nodes)
        {
            switch (node)
            {
                case IText text when text.Data.Length > 0:
                case IElement element when Kept.Contains(element.LocalName):
                    return true;
                case IElement other when Writes(other.ChildNodes):
                    return true;
            }
        }
        return false;
    }

    /// <summary>Whether <see cref="AppendTo"/> would add an image.</summary>
    public static bool WritesImage(IEnumerable<INode> nodes)
    {
        foreach (var node in nodes)
            if (node is IElement element && (element.LocalName == "img" || WritesImage(element.ChildNodes))) return true;
        return false;
    }

    private static void Append(IElement parent, INode node)
    {
        var document = parent.Owner!;
        switch (node)
        {
            case IText text:
                if (text.Data.Length > 0) parent.AppendChild(document.CreateTextNode(Scalar(text.Data)));
                break;
            case IElement { LocalName: "br" }:
                parent.AppendChild(document.CreateElement("br"));
                break;
            case IElement { LocalName: "img" } img when img.GetAttribute("src") is { Length: > 0 } src && !src.StartsWith("data:", StringComparison.OrdinalIgnoreCase):
                var image = document.CreateElement("img");
                image.SetAttribute("src", Scalar(src));
                image.SetAttribute("alt", Scalar(img.GetAttribute("alt") ?? ""));
                if (img.GetAttribute("srcset") is { Length: > 0 } srcset) image.SetAttribute("srcset", Scalar(srcset));
                parent.AppendChild(image);
                break;
            case IElement element when Kept.Contains(element.LocalName):
                var copy = document.CreateElement(element.LocalName);
                if (element.LocalName == "a" && element.GetAttribute("href") is { } href) copy.SetAttribute("href", Scalar(href));
                if (element.LocalName == "time" && element.GetAttribute("datetime") is { } dt) copy.SetAttribute("datetime", Scalar(dt));
                foreach (var child in element.ChildNodes) Append(copy, child);
                parent.AppendChild(copy);
                break;
            case IElement other:
                foreach (var child in other.ChildNodes) Append(parent, child);
                break;
        }
    }

    /// <summary>The text with unpaired surrogates replaced by U+FFFD: served HTML is valid Unicode (UTF-8 cannot carry them).</summary>
    public static string Scalar(string text)
    {
        var bad = -1;
        for (var i = 0; i < text.Length; i++)
        {
            if (!char.IsSurrogate(text[i])) continue;
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }
            bad = i;
            break;
        }
        if (bad < 0) return text;
        var sb = new StringBuilder(text.Length).Append(text, 0, bad);
        for (var i = bad; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                sb.Append(text[i]).Append(text[i + 1]);
                i++;
            }
            else sb.Append(char.IsSurrogate(text[i]) ? '\uFFFD' : text[i]);
        }
        return sb.ToString();
    }
}
