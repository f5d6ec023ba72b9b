using System.Net;
using AngleSharp.Dom;
using Aggregator.Core.Configuration;

namespace Aggregator.Core.Extraction;

/// <summary>
/// Body detection as a cascade whose last step cannot come back empty when the page has text: the
/// site's body selector; else a known CMS article-body container (<see cref="KnownBodies"/>) and the
/// Readability-family scorer (<see cref="ContentGrabber"/>), compared by length; then the JSON-LD
/// <c>articleBody</c> of a script-rendered page; and under all of them the page's own paragraphs
/// (<see cref="Baseline"/>), used when the detected body is empty or far shorter than they are.
/// </summary>
internal static class BodyCascade
{
    /// <summary>Below this many characters a known container is a teaser or an empty wrapper, not the body.</summary>
    private const int MinRulesLength = 250;

    /// <summary>A body this long is a story even when the page has more paragraphs (those are then its neighbours: teasers, comments).</summary>
    private const int ShortBody = 1000;

    public sealed record Result(List<Block> Blocks, string Path);

    /// <param name="pristine">The page parsed afresh, nothing removed: the last resort when every step came back short.</param>
    public static Result Detect(IElement scope, PageMetadata meta, SiteRules rules, Func<IDocument> pristine)
    {
        if (rules.Body is not null && scope.QuerySelector(rules.Body) is { } siteBody)
        {
            var site = FromContainer(siteBody, meta, rules, clone: false);
            if (Length(site) > 0) return new Result(site, ExtractionPath.Rules);
        }
        var readability = FromContainer(ContentGrabber.Grab(scope, meta.Title), meta, rules, clone: false);
        // A long scored body stands: the known containers are only asked when it came back short.
        var known = Length(readability) < ShortBody ? KnownBody(scope, meta, rules) : null;
        var chosen = Choose(known, readability);
        chosen = chosen with { Blocks = LeadParagraph.Restore(scope, chosen.Blocks) };
        chosen = PreferJsonLd(chosen, meta.JsonLdBody, rules);
        return PreferBaseline(chosen, scope, meta, rules, pristine);
    }

    /// <summary>
    /// The scorer's body wins unless it came back short and a known container holds more than twice
    /// its text (the scorer picked a fragment: a caption, a sidebar, a lone quote).
    /// </summary>
    private static Result Choose(List<Block>? known, List<Block> readability)
    {
        if (known is null) return new Result(readability, ExtractionPath.Readability);
        var knownLength = Length(known);
        var readabilityLength = Length(readability);
        return readabilityLength < ShortBody && knownLength > 2 * readabilityLength ? new Result(known, ExtractionPath.Rules) : new Result(readability, ExtractionPath.Readability);
    }

    private static List<Block>? KnownBody(IElement scope, PageMetadata meta, SiteRules rules)
    {
        foreach (var container in KnownBodies.Candidates(scope))
        {
            var blocks = FromContainer(container, meta, rules, clone: true);
            if (Length(blocks) >= MinRulesLength) return blocks;
        }
        return null;
    }

    private static List<Block> FromContainer(IElement container, PageMetadata meta, SiteRules rules, bool clone)
    {
        if (clone) container = (IElement)container.Clone(deep: true);
        NoiseRemover.RemoveChrome(container);
        var blocks = BoilerplateFilter.Filter(BlockCollector.Collect(container), rules);
        RemoveHeadlineAndByline(blocks, meta);
        return blocks;
    }

    /// <summary>Script-rendered pages hold only a teaser in the DOM; their JSON-LD articleBody has the story.</summary>
    private static Result PreferJsonLd(Result chosen, string? jsonLdBody, SiteRules rules)
    {
        if (jsonLdBody is null) return chosen;
        var domWords = chosen.Blocks.Sum(b => TextTools.CountWords(b.Text));
        if (TextTools.CountWords(jsonLdBody) < Math.Max(50, domWords * 1.5)) return chosen;
        var paragraphs = WebUtility.HtmlDecode(jsonLdBody)
            .Split(["\r\n", "\n"], StringSplitOptions.RemoveEmptyEntries)
            .Select(TextTools.Normalize).Where(p => p.Length > 0)
            .Select(p => new Block("p", p, null, false)).ToList();
        return new Result(BoilerplateFilter.Filter(paragraphs, rules), ExtractionPath.JsonLd);
    }

    /// <summary>A body far shorter than the page's clean paragraphs missed the story (a sidebar, a caption, a wrapper's label).</summary>
    private static Result PreferBaseline(Result chosen, IElement scope, PageMetadata meta, SiteRules rules, Func<IDocument> pristine)
    {
        var length = Length(chosen.Blocks);
        if (length >= ShortBody) return chosen;
        var baseline = Baseline.Collect(scope);
        baseline = BoilerplateFilter.Filter(baseline, rules);
        RemoveHeadlineAndByline(baseline, meta);
        var baselineLength = Length(baseline);
        if (length < ShortBody && length * 3 < baselineLength) return new Result(baseline, ExtractionPath.Baseline);
        if (length >= MinRulesLength || baselineLength >= MinRulesLength) return chosen;
        // Both short: the story may sit in what the noise rules removed (an <aside>, a "widget" theme,
        // a teaser-named wrapper); the untouched page's bare paragraphs are better than nothing.
        using var page = pristine();
        var raw = BoilerplateFilter.Filter(Baseline.Collect(page.Body ?? page.DocumentElement, skipChrome: false), rules);
        RemoveHeadlineAndByline(raw, meta);
        return Length(raw) > Math.Max(length, baselineLength) * 3 ? new Result(raw, ExtractionPath.Baseline) : chosen;
    }

    private static int Length(List<Block> blocks) => blocks.Sum(b => b.Text.Length);

    /// <summary>Pages without an h1 repeat the headline and byline as body blocks; they are metadata, not text.</summary>
    private static void RemoveHeadlineAndByline(List<Block> blocks, PageMetadata meta)
    {
        for (var i = Math.Min(blocks.Count, 3) - 1; i >= 0; i--)
        {
            var text = blocks[i].Text;
            var isTitle = (meta.Headline is not null && string.Equals(text, meta.Headline, StringComparison.OrdinalIgnoreCase))
                || (meta.Title is not null && string.Equals(text, meta.Title, StringComparison.OrdinalIgnoreCase));
            var isByline = text.Length < 80 && (text.StartsWith("By ", StringComparison.Ordinal) || (meta.Byline is not null && text == meta.Byline));
            if (isTitle || isByline) blocks.RemoveAt(i);
        }
    }
}
