using AngleSharp.Dom;

namespace Aggregator.Core.Extraction;

/// <summary>Readability's _prepArticle and _cleanConditionally: the last step of <see cref="ContentGrabber"/>.</summary>
internal static partial class ContentGrabber
{
    /// <summary>Readability's _prepArticle, in part: drop embeds and widgets, clean suspicious containers, empty paragraphs.</summary>
    private static void Prepare(IElement article, Heuristics heuristics)
    {
        if (heuristics.HasFlag(Heuristics.CleanConditionally))
            foreach (var tag in (string[])["form", "fieldset"]) CleanConditionally(article, tag, heuristics);
        foreach (var element in article.QuerySelectorAll("object, embed, footer, link, aside, iframe, input, textarea, select, button").ToList()) element.Remove();
        foreach (var header in article.QuerySelectorAll("h1, h2").ToList())
            if (ClassWeight(header, heuristics) < 0) header.Remove();
        if (heuristics.HasFlag(Heuristics.CleanConditionally))
            foreach (var tag in (string[])["table", "ul", "div"]) CleanConditionally(article, tag, heuristics);
        foreach (var p in article.GetElementsByTagName("p").ToList())
            if (p.QuerySelector("img, embed, object, iframe") is null && TextLength(p) == 0) p.Remove();
    }

    private static void CleanConditionally(IElement article, string tag, Heuristics heuristics)
    {
        foreach (var node in article.QuerySelectorAll(tag).Reverse().ToList())
        {
            if (!node.IsDescendantOf(article)) continue;
            if (tag == "table" && IsDataTable(node)) continue;
            if (HasAncestor(node, "code", article) || Ancestors(node, article).Any(a => a.LocalName == "table" && IsDataTable(a))) continue;
            var (textLength, commas) = Measure(node);
            var isList = node.LocalName is "ul" or "ol";
            if (!isList)
            {
                var listLength = node.QuerySelectorAll("ul, ol").Sum(TextLength);
                isList = textLength > 0 && (double)listLength / textLength > 0.9;
            }
            var weight = ClassWeight(node, heuristics);
            if (weight < 0)
            {
                node.Remove();
                continue;
            }
            if (commas >= 10) continue;
            var p = node.GetElementsByTagName("p").Length;
            var img = node.GetElementsByTagName("img").Length;
            var li = node.GetElementsByTagName("li").Length - 100;
            var input = node.GetElementsByTagName("input").Length;
            var headingDensity = TextDensity(node, "h1, h2, h3, h4, h5, h6");
            var embeds = node.QuerySelectorAll("object, embed, iframe").Length;
            var linkDensity = LinkDensity(node);
            var isFigureChild = HasAncestor(node, "figure", article);
            var textDensity = TextDensity(node, "span, li, td, blockquote, dl, div, img, ol, p, pre, table, ul");
            var remove = (!isFigureChild && img > 1 && (double)p / img < 0.5)
                || (!isList && li > p)
                || input > p / 3
                || (!isList && !isFigureChild && headingDensity < 0.9 && textLength < 25 && (img == 0 || img > 2) && linkDensity > 0)
                || (!isList && weight < 25 && linkDensity > 0.2)
                || (weight >= 25 && linkDensity > 0.5)
                || (embeds == 1 && textLength < 75) || embeds > 1
                || (img == 0 && textDensity == 0);
            if (remove && isList && node.Children.All(c => c.Children.Length <= 1) && node.GetElementsByTagName("li").Length == img) remove = false;
            if (remove) node.Remove();
        }
    }

    private static bool IsDataTable(IElement table)
    {
        if (table.GetAttribute("role") == "presentation" || table.GetAttribute("datatable") == "0") return false;
        if (table.HasAttribute("summary") || table.QuerySelector("caption, col, colgroup, tfoot, thead, th") is not null) return true;
        if (table.QuerySelector("table") is not null) return false;
        var rows = table.GetElementsByTagName("tr");
        var columns = rows.Select(r => r.Children.Length).DefaultIfEmpty(0).Max();
        return rows.Length >= 10 || columns > 4 || rows.Length * columns > 10;
    }

    private static double TextDensity(IElement node, string selector)
    {
        var total = TextLength(node);
        if (total == 0) return 0;
        return (double)node.QuerySelectorAll(selector).Sum(TextLength) / total;
    }
}
