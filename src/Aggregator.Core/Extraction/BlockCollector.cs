using AngleSharp.Dom;

namespace Aggregator.Core.Extraction;

/// <summary>
/// Walks the chosen container in document order and emits its text blocks. Text that sits
/// directly in a &lt;div&gt; (sites that use &lt;br&gt; instead of &lt;p&gt;) becomes a block too.
/// </summary>
internal static class BlockCollector
{
    private static readonly HashSet<string> BlockTags = ["p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "figcaption", "dd", "dt"];
    private static readonly HashSet<string> Containers = ["div", "section", "article", "main", "ul", "ol", "dl", "figure", "header", "center", "table", "tbody", "tr", "td"];

    public static List<Block> Collect(IElement container)
    {
        var blocks = new List<Block>();
        Visit(container, blocks);
        return blocks;
    }

    private static void Visit(IElement element, List<Block> blocks)
    {
        var loose = new List<INode>();
        foreach (var child in element.ChildNodes)
        {
            if (child is IElement e && (BlockTags.Contains(e.LocalName) || Containers.Contains(e.LocalName) || e.LocalName == "h1"))
            {
                Flush(loose, blocks);
                if (e.LocalName == "h1") continue; // the title is metadata, not body
                if (BlockTags.Contains(e.LocalName) && !(e.LocalName is "li" or "blockquote" && HasBlockChildren(e)))
                    Add(e.LocalName, e, blocks);
                else
                    Visit(e, blocks);
            }
            else if (child is IElement { LocalName: "img" or "picture" } image && !loose.Any(n => n.TextContent.Trim().Length > 0))
            {
                // An image standing alone (not inside a sentence) is a block of its own; it has no text.
                Flush(loose, blocks);
                if (image.LocalName == "picture") image = image.QuerySelector("img") ?? image;
                if (InlineHtml.Writes([image])) blocks.Add(new Block("img", "", [image], false));
            }
            else if (child is IElement { LocalName: "br" } && loose.Count > 0)
            {
                Flush(loose, blocks);
            }
            else
            {
                loose.Add(child);
            }
        }
        Flush(loose, blocks);
    }

    private static bool HasBlockChildren(IElement e) => e.Children.Any(c => c.LocalName is "p" or "ul" or "ol" or "div" or "blockquote");

    private static void Flush(List<INode> loose, List<Block> blocks)
    {
        if (loose.Count == 0) return;
        var text = string.Concat(loose.Select(n => n.TextContent));
        var links = loose.OfType<IElement>().Sum(e => (e.LocalName == "a" ? e.TextContent : string.Concat(e.QuerySelectorAll("a").Select(a => a.TextContent))).Length);
        INode[] nodes = [.. loose];
        loose.Clear();
        var normalized = TextTools.Normalize(text);
        if (normalized.Length == 0)
        {
            if (InlineHtml.WritesImage(nodes)) blocks.Add(new Block("img", "", nodes, false));
            return;
        }
        blocks.Add(new Block("p", normalized, nodes, links >= normalized.Length * 0.9));
    }

    private static void Add(string tag, IElement e, List<Block> blocks)
    {
        if (tag == "p" && e.QuerySelector("br") is not null)
        {
            Visit(e, blocks); // a paragraph broken by <br>s: one block per line, never glued
            return;
        }
        var normalized = TextTools.Normalize(e.TextContent);
        if (normalized.Length == 0)
        {
            // A paragraph holding only an image keeps the image.
            if (e.QuerySelector("img") is not null && InlineHtml.Writes(e.ChildNodes)) blocks.Add(new Block("img", "", [.. e.ChildNodes], false));
            return;
        }
        var linkText = e.QuerySelectorAll("a").Sum(a => TextTools.Normalize(a.TextContent).Length);
        blocks.Add(new Block(tag, normalized, [.. e.ChildNodes], linkText >= normalized.Length * 0.9));
    }
}
