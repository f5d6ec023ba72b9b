namespace Aggregator.Core.Dedup;

/// <summary>What a store can answer for matching: committed-or-staged lookups inside its write.</summary>
public interface IMatchLookups
{
    /// <summary>The story a key names (a tombstone's too), or null.</summary>
    string? StoryOfKey(string keyHash);

    /// <summary>Whether the story already carries a source of this feed.</summary>
    bool CarriesFeed(string storyId, string feedId);

    /// <summary>The most similar story within the near-duplicate window that <paramref name="excluded"/> does not rule out, if any passes the threshold.</summary>
    (string StoryId, double Similarity)? NearDuplicate(TextSignature signature, DateTime published, Func<string, bool> excluded);
}

/// <summary>
/// The matching rule, one place for both stores: a new source belongs to the story an identity key
/// names (GUID, URL, the page's canonical URL), else to one with the same or similar text.
/// Text — an exact fingerprint or a near-duplicate — joins copies across outlets, never a story the
/// same feed already carries: two items of one feed with different GUIDs and links are different
/// items however alike their pages (results, weather, live pages share a template). An operator's
/// split (<paramref name="splitFrom"/>) always holds.
/// </summary>
public static class StoryMatcher
{
    public static (string StoryId, string MatchedBy)? Match(IReadOnlyList<StoryKey> keys, TextSignature? signature, DateTime published, string feedId,
        IReadOnlySet<string>? splitFrom, IMatchLookups lookups)
    {
        bool Excluded(string id) => splitFrom?.Contains(id) ?? false;
        bool ByText(string id) => Excluded(id) || lookups.CarriesFeed(id, feedId);
        foreach (var key in keys)
            if (lookups.StoryOfKey(key.Hash) is { } id && !(key.Kind == StoryKeys.Text ? ByText(id) : Excluded(id))) return (id, key.Kind);
        if (signature is not null && lookups.NearDuplicate(signature, published, ByText) is var (nearId, similarity))
            return (nearId, $"similar-text {similarity.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)}");
        return null;
    }
}
