using AngleSharp.Dom;

namespace Aggregator.Core.Extraction;

/// <summary>
/// Main-content detection in the Readability family, on a copy of the scope, in Readability's named
/// steps: <see cref="PrepareNodes"/> (drop invisible and unlikely nodes, turn text-only &lt;div&gt;s
/// into paragraphs), <see cref="ScoreParagraphs"/> (each paragraph scores its five nearest ancestors:
/// length, commas, tag and class/id hints), <see cref="RankCandidates"/> (discounted by link density),
/// <see cref="SelectTopCandidate"/> (moving up when close alternatives share an ancestor or the score
/// rises), <see cref="JoinSiblings"/> (related siblings merged) and <see cref="Prepare"/> (conditional
/// cleaning). When too little text survives, it retries with fewer heuristics, as Readability does,
/// and keeps the longest attempt.
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

    private static IElement GrabOnce(IElement root, string? title, Heuristics heuristics)
    {
        var toScore = PrepareNodes(root, title, heuristics);
        var scores = new Dictionary<IElement, double>();
        var candidates = ScoreParagraphs(toScore, root, scores, heuristics);
        var top = RankCandidates(candidates, scores);
        var topCandidate = SelectTopCandidate(top, root, scores, heuristics);
        var article = JoinSiblings(topCandidate, scores);
        Prepare(article, heuristics);
        return article;
    }

    /// <summary>
    /// Readability's node prepping, one walk in document order: drops hidden and modal nodes, the
    /// title's own heading, unlikely candidates and empty blocks; turns text-only divs into paragraphs.
    /// Returns the elements to score.
    /// </summary>
    private static List<IElement> PrepareNodes(IElement root, string? title, Heuristics heuristics)
    {
        var toScore = new List<IElement>();
        var removeTitleHeader = true;
        var node = root;
        while (node is not null)
        {
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
            if (heuristics.HasFlag(Heuristics.StripUnlikely) && node != root && IsUnlikely(node, root))
            {
                node = RemoveAndGetNext(node, root);
                continue;
            }
            if (node.LocalName is "div" or "section" or "header" or "h1" or "h2" or "h3" or "h4" or "h5" or "h6" && node != root && IsWithoutContent(node))
            {
                node = RemoveAndGetNext(node, root);
                continue;
            }
            if (TagsToScore.Contains(node.LocalName)) toScore.Add(node);
            if (node.LocalName == "div") node = DivToParagraph(node, root, toScore);
            node = Next(node, root, skipChildren: false);
        }
        return toScore;
    }

    private static bool IsUnlikely(IElement node, IElement root)
    {
        var match = ChromeNames.Of(node);
        if (ChromeNames.Unlikely.IsMatch(match) && !ChromeNames.MaybeCandidate.IsMatch(match) && !HasAncestor(node, "table", root) && !HasAncestor(node, "code", root)
            && node.LocalName is not ("body" or "a"))
            return true;
        return node.GetAttribute("role") is { } role && UnlikelyRoles.Contains(role);
    }

    /// <summary>A div holding one paragraph becomes that paragraph; a div without block children becomes a paragraph.</summary>
    private static IElement DivToParagraph(IElement node, IElement root, List<IElement> toScore)
    {
        WrapPhrasing(node);
        if (HasSingleTagInside(node, "p") && LinkDensity(node) < 0.25 && node != root)
        {
            var child = node.Children[0];
            // Keep the wrapper's class/id on the paragraph: later steps still recognise a share bar or a byline by it.
            if (string.IsNullOrEmpty(child.ClassName) && !string.IsNullOrEmpty(node.ClassName)) child.ClassName = node.ClassName;
            if (string.IsNullOrEmpty(child.Id) && !string.IsNullOrEmpty(node.Id)) child.Id = node.Id;
            node.Replace(child);
            toScore.Add(child);
            return child;
        }
        if (HasChildBlock(node)) return node;
        var p = Retag(node, "p");
        toScore.Add(p);
        return p;
    }

    /// <summary>Each paragraph of 25+ characters adds its score to its five nearest ancestors (halved, then divided by 3× the level).</summary>
    private static List<IElement> ScoreParagraphs(List<IElement> toScore, IElement root, Dictionary<IElement, double> scores, Heuristics heuristics)
    {
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
        return candidates;
    }

    /// <summary>The best <see cref="TopCandidates"/> candidates once link density discounts their scores.</summary>
    private static List<IElement> RankCandidates(List<IElement> candidates, Dictionary<IElement, double> scores)
    {
        var top = new List<IElement>();
        var linkLengths = new Dictionary<IElement, double>();
        foreach (var candidate in candidates)
        {
            scores[candidate] *= 1 - LinkDensity(candidate, linkLengths);
            var at = top.FindIndex(t => scores[candidate] > scores[t]);
            if (at < 0) at = top.Count;
            if (at < TopCandidates) top.Insert(at, candidate);
            if (top.Count > TopCandidates) top.RemoveAt(TopCandidates);
        }
        return top;
    }

    private static IElement SelectTopCandidate(List<IElement> top, IElement root, Dictionary<IElement, double> scores, Heuristics heuristics)
    {
        if (top.Count == 0 || top[0] == root)
        {
            var wrapper = root.Owner!.CreateElement("div");
            while (root.FirstChild is { } first) wrapper.AppendChild(first);
            root.AppendChild(wrapper);
            scores[wrapper] = InitialScore(wrapper, heuristics);
            return wrapper;
        }
        var topCandidate = top[0];
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
        return topCandidate;
    }

    /// <summary>The top candidate and those of its siblings that score close to it or read like paragraphs of the story.</summary>
    private static IElement JoinSiblings(IElement topCandidate, Dictionary<IElement, double> scores)
    {
        var article = topCandidate.Owner!.CreateElement("div");
        var siblingThreshold = Math.Max(10, scores[topCandidate] * 0.2);
        var siblings = topCandidate.ParentElement is { } container ? container.Children.ToList() : [topCandidate];
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
            article.AppendChild(AlterToDivExceptions.Contains(sibling.LocalName) ? sibling : Retag(sibling, "div"));
        }
        return article;
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
            if (ChromeNames.Negative.IsMatch(name)) weight -= 25;
            if (ChromeNames.Positive.IsMatch(name)) weight += 25;
        }
        return weight;
    }
}
