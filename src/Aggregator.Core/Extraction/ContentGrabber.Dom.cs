using System.Text.RegularExpressions;
using AngleSharp.Dom;

namespace Aggregator.Core.Extraction;

/// <summary>DOM measures and tree walking shared by <see cref="ContentGrabber"/>'s steps.</summary>
internal static partial class ContentGrabber
{
    /// <summary>Two or more &lt;br&gt;s in a row end a paragraph: the text after them becomes a &lt;p&gt;.</summary>
    private static void ReplaceBrs(IElement root)
    {
        foreach (var br in root.GetElementsByTagName("br").ToList())
        {
            if (br.Parent is null) continue;
            var replaced = false;
            INode? next;
            while ((next = NextNonBlank(br.NextSibling)) is IElement { LocalName: "br" } chained)
            {
                replaced = true;
                chained.Remove();
            }
            if (!replaced) continue;
            var p = br.Owner!.CreateElement("p");
            br.Parent.ReplaceChild(p, br);
            for (next = p.NextSibling; next is not null;)
            {
                if (next is IElement { LocalName: "br" } && NextNonBlank(next.NextSibling) is IElement { LocalName: "br" }) break;
                if (!IsPhrasing(next)) break;
                var sibling = next.NextSibling;
                p.AppendChild(next);
                next = sibling;
            }
            while (p.LastChild is { } last && last.NodeType == NodeType.Text && string.IsNullOrWhiteSpace(last.TextContent)) p.RemoveChild(last);
            if (p.ParentElement is { LocalName: "p" } parent) Retag(parent, "div");
        }
    }

    private static INode? NextNonBlank(INode? node)
    {
        while (node is not null && node.NodeType != NodeType.Element && string.IsNullOrWhiteSpace(node.TextContent)) node = node.NextSibling;
        return node;
    }

    /// <param name="linkLengths">Text lengths of links already measured, while the tree does not change (candidates nest: their links are shared).</param>
    internal static double LinkDensity(IElement element, Dictionary<IElement, double>? linkLengths = null)
    {
        var length = TextLength(element);
        if (length == 0) return 0;
        var linked = 0.0;
        foreach (var a in element.GetElementsByTagName("a"))
        {
            if (linkLengths is null || !linkLengths.TryGetValue(a, out var weighted))
            {
                weighted = TextLength(a) * (a.GetAttribute("href")?.StartsWith('#') == true ? 0.3 : 1);
                linkLengths?.Add(a, weighted);
            }
            linked += weighted;
        }
        return linked / length;
    }

    private static string Text(IElement element) => Spaces().Replace(element.TextContent.Trim(), " ");

    /// <summary>The length of <see cref="Text"/>, without building it.</summary>
    private static int TextLength(IElement element) => Measure(element).Length;

    /// <summary>Length of the element's text as <see cref="Text"/> gives it (trimmed, whitespace runs as one character) and its commas.</summary>
    private static (int Length, int Commas) Measure(IElement element) => DomText.Measure(element);

    private static bool IsProbablyVisible(IElement node)
    {
        var style = node.GetAttribute("style");
        if (style is not null && HiddenStyle().IsMatch(style)) return false;
        if (node.HasAttribute("hidden")) return false;
        return node.GetAttribute("aria-hidden") != "true" || (node.ClassName?.Contains("fallback-image", StringComparison.Ordinal) ?? false);
    }

    private static bool IsWithoutContent(IElement node) =>
        !DomText.HasText(node) && (node.Children.Length == 0 || node.Children.Length == node.QuerySelectorAll("br, hr").Length);

    private static bool HasSingleTagInside(IElement node, string tag) =>
        node.Children.Length == 1 && node.Children[0].LocalName == tag
        && !node.ChildNodes.Any(n => n.NodeType == NodeType.Text && TrailingNonSpace().IsMatch(n.TextContent));

    private static bool HasChildBlock(IElement node) => node.Children.Any(c => DivToPElements.Contains(c.LocalName) || HasChildBlock(c));

    private static bool IsPhrasing(INode node) =>
        node.NodeType == NodeType.Text
        || (node is IElement e && (Phrasing.Contains(e.LocalName) || (e.LocalName is "a" or "del" or "ins" && e.ChildNodes.All(IsPhrasing))));

    /// <summary>Runs of phrasing content directly inside a div become paragraphs.</summary>
    private static void WrapPhrasing(IElement div)
    {
        IElement? p = null;
        for (var child = div.FirstChild; child is not null;)
        {
            var next = child.NextSibling;
            if (IsPhrasing(child))
            {
                if (p is not null) p.AppendChild(child);
                else if (!(child.NodeType == NodeType.Text && string.IsNullOrWhiteSpace(child.TextContent)))
                {
                    p = div.Owner!.CreateElement("p");
                    div.ReplaceChild(p, child);
                    p.AppendChild(child);
                }
            }
            else if (p is not null)
            {
                while (p.LastChild is { } last && last.NodeType == NodeType.Text && string.IsNullOrWhiteSpace(last.TextContent)) p.RemoveChild(last);
                p = null;
            }
            child = next;
        }
    }

    private static IElement Retag(IElement node, string tag)
    {
        var replacement = node.Owner!.CreateElement(tag);
        while (node.FirstChild is { } child) replacement.AppendChild(child);
        DomNames.CopyAttributes(node, replacement);
        node.Replace(replacement);
        return replacement;
    }

    private static List<IElement> Ancestors(IElement node, IElement root)
    {
        var list = new List<IElement>();
        for (var a = node.ParentElement; a is not null; a = a.ParentElement)
        {
            list.Add(a);
            if (a == root) break;
        }
        return list;
    }

    private static bool HasAncestor(IElement node, string tag, IElement root)
    {
        for (var a = node.ParentElement; a is not null && a != root.ParentElement; a = a.ParentElement)
            if (a.LocalName == tag) return true;
        return false;
    }

    private static IElement? RemoveAndGetNext(IElement node, IElement root)
    {
        var next = Next(node, root, skipChildren: true);
        node.Remove();
        return next;
    }

    /// <summary>Depth-first order within <paramref name="root"/>.</summary>
    private static IElement? Next(IElement node, IElement root, bool skipChildren)
    {
        if (!skipChildren && node.FirstElementChild is { } first) return first;
        for (var n = node; n is not null && n != root; n = n.ParentElement)
            if (n.NextElementSibling is { } sibling) return sibling;
        return null;
    }

    [GeneratedRegex(@"\.( |$)")]
    private static partial Regex SentenceEnd();

    [GeneratedRegex(@"display\s*:\s*none|visibility\s*:\s*hidden", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenStyle();

    [GeneratedRegex(@"\S$")]
    private static partial Regex TrailingNonSpace();

    [GeneratedRegex(@"\s{2,}")]
    private static partial Regex Spaces();
}
