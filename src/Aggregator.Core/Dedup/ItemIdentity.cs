using Aggregator.Core.Parsing;

namespace Aggregator.Core.Dedup;

/// <summary>
/// How a feed's items are told apart. GUIDs are the publisher's identity for an item, but some
/// feeds leave them empty or give many items the same one (a CMS template bug): when that is the case
/// for more than 5% of the items, the whole feed is identified by link instead, and the feed's status
/// says so. A GUID repeated with different links never makes those items one story.
/// </summary>
public sealed record ItemIdentity(bool UseGuids, string? Note, IReadOnlySet<string> ConflictingGuids)
{
    public const double BrokenShare = 0.05;

    public static ItemIdentity Trusted { get; } = new(true, null, new HashSet<string>());

    public static ItemIdentity Assess(IReadOnlyList<ParsedItem> items)
    {
        if (items.Count == 0) return Trusted;
        var empty = items.Count(i => string.IsNullOrWhiteSpace(i.Id));
        var byGuid = items.Where(i => !string.IsNullOrWhiteSpace(i.Id)).GroupBy(i => i.Id!.Trim(), StringComparer.Ordinal).Where(g => g.Count() > 1).ToList();
        var repeated = byGuid.Sum(g => g.Count() - 1);
        var conflicting = byGuid
            .Where(g => g.Select(i => UrlCanonicalizer.Canonicalize(i.Link) ?? i.Title).Distinct(StringComparer.Ordinal).Count() > 1)
            .Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        var broken = empty + repeated;
        if (broken <= items.Count * BrokenShare) return new ItemIdentity(true, null, conflicting);
        if (empty == items.Count) return new ItemIdentity(false, "the feed gives no GUIDs: items identified by link", conflicting);
        var parts = new List<string>();
        if (empty > 0) parts.Add($"{empty} empty");
        if (repeated > 0) parts.Add($"{repeated} repeating {byGuid.Count} GUID{(byGuid.Count == 1 ? "" : "s")}");
        return new ItemIdentity(false, $"GUIDs unusable ({string.Join(", ", parts)} of {items.Count} items): items identified by link", conflicting);
    }

    /// <summary>Whether this item's GUID may identify it.</summary>
    public bool Trusts(ParsedItem item) =>
        UseGuids && !string.IsNullOrWhiteSpace(item.Id) && !ConflictingGuids.Contains(item.Id.Trim());
}
