using System.Globalization;
using Aggregator.Core.Dedup;

namespace Aggregator.Core.Storage.Postgres;

/// <summary>
/// <see cref="StoryMatcher"/>'s view inside a PostgreSQL write transaction: the transaction sees
/// its own writes and, once its advisory locks are held, every commit of a writer that shared a key
/// or a band with it — so two nodes matching copies of one article cannot both create it.
/// </summary>
internal sealed class PostgresLookups(PostgresSession s) : IMatchLookups
{
    public string? StoryOfKey(string keyHash) => s.Scalar("SELECT story_id FROM story_keys WHERE key_hash = @h", ("h", keyHash)) as string;

    public bool CarriesFeed(string storyId, string feedId) =>
        s.Scalar("SELECT 1 FROM story_feeds WHERE story_id = @s AND feed_id = @f", ("s", storyId), ("f", feedId)) is not null;

    /// <summary>Candidates share a band and lie within the window; the rule and the score are <see cref="NearDuplicateIndex"/>'s.</summary>
    public (string StoryId, double Similarity)? NearDuplicate(TextSignature signature, DateTime published, Func<string, bool> excluded)
    {
        var at = PostgresRows.Ticks(published);
        var window = NearDuplicateIndex.Window.Ticks;
        var candidates = s.Rows("""
            SELECT g.story_id, g.minhashes, g.shingles, g.lead FROM signatures g
            WHERE g.story_id IN (SELECT story_id FROM story_bands WHERE band_hash = ANY(@b) AND published BETWEEN @lo AND @hi)
            ORDER BY g.story_id
            """,
            r => (Id: r.GetString(0), Signature: TextSignature.FromStored((byte[])r[1], r.GetInt32(2), r.IsDBNull(3) ? null : (byte[])r[3])),
            ("b", PostgresBands.Of(signature)), ("lo", SaturatingAdd(at, -window)), ("hi", SaturatingAdd(at, window)));
        return NearDuplicateRule.Best(signature, candidates.Where(c => !excluded(c.Id)));
    }

    /// <summary>The stories an operator split this source from (feed, canonical URL), or null.</summary>
    public HashSet<string>? SplitFrom(string feedId, string? url)
    {
        if (UrlCanonicalizer.Canonicalize(url) is not { } canonical) return null;
        var from = s.Rows("SELECT from_story FROM splits WHERE feed_id = @f AND url = @u", r => r.GetString(0), ("f", feedId), ("u", canonical));
        return from.Count == 0 ? null : from.ToHashSet(StringComparer.Ordinal);
    }

    private static long SaturatingAdd(long ticks, long delta) =>
        Math.Clamp(ticks + delta, DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks);
}

/// <summary>LSH band keys of a signature (the in-memory index's), and the advisory lock keys a write takes.</summary>
internal static class PostgresBands
{
    public static long[] Of(TextSignature signature)
    {
        var bands = new long[NearDuplicateIndex.Bands];
        for (var b = 0; b < bands.Length; b++) bands[b] = unchecked((long)NearDuplicateIndex.BandKey(signature, b));
        return bands;
    }

    /// <summary>
    /// One lock per key hash and per band: writers whose items share a key, or whose bodies share a
    /// band (the only way they could match), run one after the other; the rest run side by side.
    /// </summary>
    public static IEnumerable<long> Locks(IEnumerable<StoryKey> keys, TextSignature? signature) =>
        keys.Select(k => long.Parse(k.Hash.AsSpan(0, 16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture))
            .Concat(signature is null ? [] : Of(signature));
}
