using Aggregator.Core.Configuration;

namespace Aggregator.Core.Filtering;

/// <summary>What an item offers to filter rules: each field may have several values (authors, categories, URLs).</summary>
public sealed record FilterSubject(string? Title, string? Text, IReadOnlyList<string> Urls, IReadOnlyList<string> Authors, IReadOnlyList<string> Categories)
{
    internal IEnumerable<string> Values(string field) => field switch
    {
        FilterField.Title => Title is null ? [] : [Title],
        FilterField.Text => Text is null ? [] : [Text],
        FilterField.Url => Urls,
        FilterField.Author => Authors,
        _ => Categories,
    };
}

/// <summary>The outcome: kept, or blocked with the reason (the rule's JSON path, or "no keep rule matched").</summary>
public sealed record FilterVerdict(bool Blocked, string? Reason)
{
    public static FilterVerdict Kept { get; } = new(false, null);
}

/// <summary>
/// The filter stage, one pure function, as Miniflux applies its rules: an item is blocked when any
/// block rule matches; when there are keep rules, an item none of them matches is blocked too. The
/// top-level rules and the feed's own apply together (block lists and keep lists joined).
/// </summary>
public static class ItemFilter
{
    public static FilterVerdict Evaluate(FilterRules global, FilterRules? feed, FilterSubject subject)
    {
        var folded = new Dictionary<string, List<(string Raw, string Folded)>>(StringComparer.Ordinal);
        List<(string Raw, string Folded)> ValuesOf(string field)
        {
            if (!folded.TryGetValue(field, out var values))
                folded[field] = values = subject.Values(field).Select(v => (v, TextMatcher.Fold(v))).ToList();
            return values;
        }
        bool Matches(FilterRule rule) => rule.Conditions.All(c => ValuesOf(c.Field).Any(v => c.Matcher.IsMatch(v.Raw, v.Folded)));

        var feedRules = feed ?? FilterRules.None;
        if (global.Block.Concat(feedRules.Block).FirstOrDefault(Matches) is { } block) return new FilterVerdict(true, block.Path);
        var keep = global.Keep.Concat(feedRules.Keep).ToList();
        if (keep.Count == 0 || keep.Any(Matches)) return FilterVerdict.Kept;
        return new FilterVerdict(true, $"no keep rule matched ({string.Join(", ", keep.Select(k => k.Path))})");
    }

    /// <summary>The block rules alone, before the article page is fetched: a rule on the text cannot match yet, the rest can spare the fetch.</summary>
    public static FilterVerdict PreCheck(FilterRules global, FilterRules? feed, FilterSubject subject) =>
        Evaluate(global with { Keep = [] }, feed is null ? null : feed with { Keep = [] }, subject with { Text = null });
}
