using System.Security.Cryptography;
using System.Text;
using Aggregator.Core.Extraction;
using Aggregator.Core.Parsing;

namespace Aggregator.Core.Dedup;

/// <summary>A dedup key: how it was derived (for provenance) and its SHA-256 (the unique index).</summary>
public sealed record StoryKey(string Kind, string Hash);

/// <summary>
/// The identities of an item. Before the page fetch: GUID (scoped to the feed, since GUIDs are only
/// unique per publisher) and canonical link. After extraction: the page's canonical URL and a
/// fingerprint of the clean body text, which joins republished wire copy from other outlets.
/// </summary>
public static class StoryKeys
{
    public const string Guid = "guid";
    public const string Url = "url";
    public const string Canonical = "canonical";
    public const string Text = "text";
    private const int MinWordsForText = 60;

    public static IReadOnlyList<StoryKey> ForItem(string feedId, ParsedItem item, ItemIdentity? identity = null)
    {
        var keys = new List<StoryKey>();
        if ((identity ?? ItemIdentity.Trusted).Trusts(item)) keys.Add(GuidKey(feedId, item.Id!));
        if (UrlKey(item.OriginalLink ?? item.Link) is { } link) keys.Add(link);
        if (keys.Count == 0 && !string.IsNullOrWhiteSpace(item.Title))
            keys.Add(new StoryKey(Guid, Hash($"title\n{feedId}\n{item.Title.Trim()}\n{item.Published:O}")));
        return keys;
    }

    public static StoryKey GuidKey(string feedId, string guid) => new(Guid, Hash($"guid\n{feedId}\n{guid.Trim()}"));

    /// <summary>The canonical link's key; a redirect wrapper (news aggregator, FeedBurner) counts as the link it wraps.</summary>
    public static StoryKey? UrlKey(string? link) =>
        UrlCanonicalizer.Canonicalize(RedirectWrappers.Unwrap(link)) is { } canonical ? new StoryKey(Url, Hash($"url\n{canonical}")) : null;

    public static IReadOnlyList<StoryKey> ForArticle(ExtractedArticle article)
    {
        var keys = new List<StoryKey>();
        if (UrlCanonicalizer.Canonicalize(article.CanonicalUrl) is { } canonical) keys.Add(new StoryKey(Canonical, Hash($"url\n{canonical}")));
        if (TextFingerprint(article.Text) is { } fingerprint) keys.Add(new StoryKey(Text, fingerprint));
        return keys;
    }

    /// <summary>Exact fingerprint of the body's words (case, punctuation and spacing ignored); near-duplicates are a later stage.</summary>
    public static string? TextFingerprint(string text)
    {
        var words = text.ToLowerInvariant().Split(TextTools.WordSeparators, StringSplitOptions.RemoveEmptyEntries);
        return words.Length < MinWordsForText ? null : Hash("text\n" + string.Join(' ', words));
    }

    /// <summary>The kind of a key remembering an item that filters blocked (issue 16).</summary>
    public const string Blocked = "blocked";
    private const string BlockedPrefix = "blocked-";

    /// <summary>
    /// The keys that remember a blocked item: its own keys scoped to the feed that blocked it, so the
    /// same article carried by another feed (with other rules) is never hidden by this feed's block.
    /// </summary>
    public static IReadOnlyList<StoryKey> ForBlocked(string feedId, IEnumerable<StoryKey> keys) =>
        keys.Select(k => new StoryKey(Blocked, Hash($"blocked\n{feedId}\n{k.Hash}"))).DistinctBy(k => k.Hash).ToList();

    /// <summary>The id a store files a blocked item's keys under: never a story's (those are 16 hex digits).</summary>
    public static string BlockedId(IReadOnlyList<StoryKey> blockedKeys) => BlockedPrefix + blockedKeys[0].Hash[..16];

    public static bool IsBlockedId(string id) => id.StartsWith(BlockedPrefix, StringComparison.Ordinal);

    public static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}
