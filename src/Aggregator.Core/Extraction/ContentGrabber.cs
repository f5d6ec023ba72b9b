using System.Text.RegularExpressions;
using AngleSharp.Dom;

namespace Aggregator.Core.Extraction;

/// <summary>
/// Main-content detection in the Readability family, on a copy of the scope: drop invisible and
/// unlikely nodes, turn text-only &lt;div&gt;s into paragraphs, score paragraphs into their five
/// nearest ancestors (length, commas, tag and class/id hints, discounted by link density), pick the
/// top candidate (moving up when close alternatives share an ancestor or the score rises), merge
/// related siblings, and clean the result conditionally. When too little text survives, it retries
/// with fewer heuristics, as Readability does, and keeps the longest attempt.
/// </summary>
internal static partial class ContentGrabber
{
    private const int CharThreshold = 500;
    private const int TopCandidates = 5;
    private static readonly HashSet<string> TagsToScore = ["section", "h2", "h3", "h4", "h5", "h6", "p", "td", "pre"];
    private static readonly HashSet<string> DivToPElements = ["blockquote", "dl", "div", "img", "ol", "p", "pre", "table", "ul"];
    private static readonly HashSet<string> AlterToDivExceptions = ["div", "article", "section", "p", "ol", "ul"];
    private static readonly HashSet<string> Phrasing = ["abbr", "audio", "b", "bdo", "br", "button", "cite", "code", "data", "datalist", "dfn", "em", "embed", "i", "img",
        "input", "kbd", "label", "mark", "math", "meter", "noscript", "object", "output", "progress", "q", "ruby", "samp", "script", "select", "small", "span", "strong",
        "sub", "sup", "textarea", "time", "var", "wbr"];
    private static readonly HashSet<string> UnlikelyRoles = ["menu", "menubar", "complementary", "navigation", "alert", "alertdialog", "dialog"];

    [Flags]
    private enum Heuristics { None = 0, StripUnlikely = 1, WeightClasses = 2, CleanConditionally = 4, All = 7 }

    /// <summary>A detached element holding the article's content (never null; possibly empty).</summary>
    public static IElement Grab(IElement scope, string? title)
    {
        ReplaceBrs(scope);
        var attempts = new List<(IElement Content, int Length)>();
        foreach (var heuristics in (Heuristics[])[Heuristics.All, Heuristics.WeightClasses | Heuristics.CleanConditionally, Heuristics.CleanConditionally, Heuristics.None])
        {
            var work = (IElement)scope.Clone(deep: true);
            var content = GrabOnce(work, title, heuristics);
            var length = TextLength(content);
            if (length >= CharThreshold) return content;
            attempts.Add((content, length));
        }
        return attempts.MaxBy(a => a.Length).Content;
    }

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

    private static IElement GrabOnce(IElement root, string? title, Heuristics heuristics)
    {
        var scores = new Dictionary<IElement, double>();
        var toScore = new List<IElement>();
        var removeTitleHeader = true;
        var node = root;
        while (node is not null)
        {
            var match = $"{node.ClassName} {node.Id}";
            if (!IsProbablyVisible(node) || (node.GetAttribute("aria-modal") == "true" && node.GetAttribute("role") == "dialog"))
            {
                node = RemoveAndGetNext(node, root);
                continue;
            }
            if (removeTitleHeader && node.LocalName is "h1" or "h2" && title is not null && ArticleTitle.Similarity(title, Text(node)) > 0.75)
            {
                removeTitleHeader = false;
                node = RemoveAndGetNext(node, root);
                continue;
            }
            if (heuristics.HasFlag(Heuristics.StripUnlikely) && node != root)
            {
                if (Unlikely().IsMatch(match) && !MaybeCandidate().IsMatch(match) && !HasAncestor(node, "table", root) && !HasAncestor(node, "code", root)
                    && node.LocalName is not ("body" or "a"))
                {
                    node = RemoveAndGetNext(node, root);
                    continue;
                }
                if (node.GetAttribute("role") is { } role && UnlikelyRoles.Contains(role))
                {
                    node = RemoveAndGetNext(node, root);
                    continue;
                }
            }
            if (node.LocalName is "div" or "section" or "header" or "h1" or "h2" or "h3" or "h4" or "h5" or "h6" && node != root && IsWithoutContent(node))
            {
                node = RemoveAndGetNext(node, root);
                continue;
            }
            if (TagsToScore.Contains(node.LocalName)) toScore.Add(node);
            if (node.LocalName == "div")
            {
                WrapPhrasing(node);
                if (HasSingleTagInside(node, "p") && LinkDensity(node) < 0.25 && node != root)
                {
                    var child = node.Children[0];
                    // Keep the wrapper's class/id on the paragraph: later steps still recognise a share bar or a byline by it.
                    if (string.IsNullOrEmpty(child.ClassName) && !string.IsNullOrEmpty(node.ClassName)) child.ClassName = node.ClassName;
                    if (string.IsNullOrEmpty(child.Id) && !string.IsNullOrEmpty(node.Id)) child.Id = node.Id;
                    node.Replace(child);
                    node = child;
                    toScore.Add(node);
                }
                else if (!HasChildBlock(node))
                {
                    node = Retag(node, "p");
                    toScore.Add(node);
                }
            }
            node = Next(node, root, skipChildren: false);
        }

        var candidates = new List<IElement>();
        foreach (var element in toScore)
        {
            if (element.ParentElement is null) continue;
            var (length, commas) = Measure(element);
            if (length < 25) continue;
            var score = 1.0 + commas + 1 + Math.Min(length / 100, 3);
            var level = 0;
            for (var ancestor = element.ParentElement; ancestor is not null && level < 5; ancestor = ancestor.ParentElement, level++)
            {
                if (!scores.ContainsKey(ancestor))
                {
                    scores[ancestor] = InitialScore(ancestor, heuristics);
                    candidates.Add(ancestor);
                }
                scores[ancestor] += score / (level == 0 ? 1 : level == 1 ? 2 : level * 3);
                if (ancestor == root) break;
            }
        }

        var top = new List<IElement>();
        foreach (var candidate in candidates)
        {
            scores[candidate] *= 1 - LinkDensity(candidate);
            var at = top.FindIndex(t => scores[candidate] > scores[t]);
            if (at < 0) at = top.Count;
            if (at < TopCandidates) top.Insert(at, candidate);
            if (top.Count > TopCandidates) top.RemoveAt(TopCandidates);
        }

        var document = root.Owner!;
        IElement topCandidate;
        if (top.Count == 0 || top[0] == root)
        {
            var wrapper = document.CreateElement("div");
            while (root.FirstChild is { } first) wrapper.AppendChild(first);
            root.AppendChild(wrapper);
            scores[wrapper] = InitialScore(wrapper, heuristics);
            topCandidate = wrapper;
        }
        else
        {
            topCandidate = top[0];
            var alternatives = top.Skip(1).Where(t => scores[t] / scores[topCandidate] >= 0.75).Select(t => Ancestors(t, root)).ToList();
            if (alternatives.Count >= 3)
                for (var parent = topCandidate.ParentElement; parent is not null && parent != root; parent = parent.ParentElement)
                    if (alternatives.Count(list => list.Contains(parent)) >= 3)
                    {
                        topCandidate = parent;
                        break;
                    }
            if (!scores.ContainsKey(topCandidate)) scores[topCandidate] = InitialScore(topCandidate, heuristics);

            // A parent scoring higher than its best child holds more of the content.
            var last = scores[topCandidate];
            var threshold = last / 3;
            for (var parent = topCandidate.ParentElement; parent is not null && parent != root; parent = parent.ParentElement)
            {
                if (!scores.TryGetValue(parent, out var parentScore)) continue;
                if (parentScore < threshold) break;
                if (parentScore > last)
                {
                    topCandidate = parent;
                    break;
                }
                last = parentScore;
            }
            // An only child: its parent's siblings may be the related content.
            while (topCandidate.ParentElement is { } p && p != root && p.Children.Length == 1) topCandidate = p;
            if (!scores.ContainsKey(topCandidate)) scores[topCandidate] = InitialScore(topCandidate, heuristics);
        }

        var article = document.CreateElement("div");
        var siblingThreshold = Math.Max(10, scores[topCandidate] * 0.2);
        var container = topCandidate.ParentElement;
        var siblings = container is null ? [topCandidate] : container.Children.ToList();
        foreach (var sibling in siblings)
        {
            var append = sibling == topCandidate;
            if (!append)
            {
                var bonus = sibling.ClassName == topCandidate.ClassName && !string.IsNullOrEmpty(topCandidate.ClassName) ? scores[topCandidate] * 0.2 : 0;
                if (scores.TryGetValue(sibling, out var s) && s + bonus >= siblingThreshold) append = true;
                else if (sibling.LocalName == "p")
                {
                    var density = LinkDensity(sibling);
                    var length = TextLength(sibling);
                    append = (length > 80 && density < 0.25) || (length is > 0 and < 80 && density == 0 && SentenceEnd().IsMatch(Text(sibling)));
                }
            }
            if (!append) continue;
            var moved = AlterToDivExceptions.Contains(sibling.LocalName) ? sibling : Retag(sibling, "div");
            article.AppendChild(moved);
        }
        Prepare(article, heuristics);
        return article;
    }

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

    private static double InitialScore(IElement node, Heuristics heuristics) => ClassWeight(node, heuristics) + node.LocalName switch
    {
        "div" => 5,
        "pre" or "td" or "blockquote" => 3,
        "address" or "ol" or "ul" or "dl" or "dd" or "dt" or "li" or "form" => -3,
        "h1" or "h2" or "h3" or "h4" or "h5" or "h6" or "th" => -5,
        _ => 0,
    };

    private static double ClassWeight(IElement node, Heuristics heuristics)
    {
        if (!heuristics.HasFlag(Heuristics.WeightClasses)) return 0;
        var weight = 0.0;
        foreach (var name in (string?[])[node.ClassName, node.Id])
        {
            if (string.IsNullOrEmpty(name)) continue;
            if (Negative().IsMatch(name)) weight -= 25;
            if (Positive().IsMatch(name)) weight += 25;
        }
        return weight;
    }

    private static double LinkDensity(IElement element)
    {
        var length = TextLength(element);
        if (length == 0) return 0;
        var linked = element.GetElementsByTagName("a").Sum(a => TextLength(a) * (a.GetAttribute("href")?.StartsWith('#') == true ? 0.3 : 1));
        return linked / length;
    }

    private static string Text(IElement element) => Spaces().Replace(element.TextContent.Trim(), " ");

    /// <summary>The length of <see cref="Text"/>, without building it.</summary>
    private static int TextLength(IElement element) => Measure(element).Length;

    /// <summary>
    /// Length of the element's text as <see cref="Text"/> gives it (trimmed, whitespace runs as one
    /// character) and its commas, read from the text nodes in place: no string of a whole subtree is
    /// built (on big pages those land on the large-object heap and cost gen-2 collections).
    /// </summary>
    private static (int Length, int Commas) Measure(IElement element)
    {
        int length = 0, commas = 0;
        bool started = false, pending = false;
        foreach (var node in element.GetDescendants())
        {
            if (node is not IText text) continue;
            foreach (var c in text.Data)
            {
                if (char.IsWhiteSpace(c))
                {
                    pending = started;
                    continue;
                }
                if (pending) length++;
                pending = false;
                started = true;
                length++;
                if (c is '\u002C' or '\u060C' or '\uFE50' or '\uFE10' or '\uFE11' or '\u2E41' or '\u2E34' or '\u2E32' or '\uFF0C') commas++;
            }
        }
        return (length, commas);
    }

    private static bool IsProbablyVisible(IElement node)
    {
        var style = node.GetAttribute("style");
        if (style is not null && HiddenStyle().IsMatch(style)) return false;
        if (node.HasAttribute("hidden")) return false;
        return node.GetAttribute("aria-hidden") != "true" || (node.ClassName?.Contains("fallback-image", StringComparison.Ordinal) ?? false);
    }

    private static bool IsWithoutContent(IElement node) =>
        node.TextContent.Trim().Length == 0 && (node.Children.Length == 0 || node.Children.Length == node.QuerySelectorAll("br, hr").Length);

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
        foreach (var attribute in node.Attributes.ToList()) replacement.SetAttribute(attribute.Name, attribute.Value);
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

    [GeneratedRegex(@"-ad-|ai2html|banner|breadcrumbs|combx|comment|community|cover-wrap|disqus|extra|footer|gdpr|header|legends|menu|related|remark|replies|rss|shoutbox|sidebar|skyscraper|social|sponsor|supplemental|ad-break|agegate|pagination|pager|popup|yom-remote", RegexOptions.IgnoreCase)]
    private static partial Regex Unlikely();

    [GeneratedRegex("and|article|body|column|content|main|mathjax|shadow", RegexOptions.IgnoreCase)]
    private static partial Regex MaybeCandidate();

    [GeneratedRegex("article|body|content|entry|hentry|h-entry|main|page|pagination|post|text|blog|story", RegexOptions.IgnoreCase)]
    private static partial Regex Positive();

    [GeneratedRegex("-ad-|hidden|^hid$| hid$| hid |^hid |banner|combx|comment|com-|contact|footer|gdpr|masthead|media|meta|outbrain|promo|related|scroll|share|shoutbox|sidebar|skyscraper|sponsor|shopping|tags|widget", RegexOptions.IgnoreCase)]
    private static partial Regex Negative();

    [GeneratedRegex(@"\.( |$)")]
    private static partial Regex SentenceEnd();

    [GeneratedRegex(@"display\s*:\s*none|visibility\s*:\s*hidden", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenStyle();

    [GeneratedRegex(@"\S$")]
    private static partial Regex TrailingNonSpace();

    [GeneratedRegex(@"\s{2,}")]
    private static partial Regex Spaces();
}
