using System.Globalization;
using Aggregator.Core.Dedup;
using Npgsql;

namespace Aggregator.Core.Storage.Postgres;

/// <summary>
/// <see cref="StoryMatcher"/>'s view inside a PostgreSQL write transaction, read in one round trip
/// together with the item's advisory locks: the stories its keys name, the operator's splits of its
/// source, the near-duplicate candidates, and which of those stories already carry its feed. The
/// transaction sees its own writes and, once its advisory locks are held, every commit of a writer
/// that shared a key or a band with it — so two nodes matching copies of one article cannot both create it.
/// </summary>
internal sealed class PostgresLookups : IMatchLookups
{
    private readonly PostgresSession _s;
    private readonly string _feedId;
    private readonly HashSet<string> _keysAsked = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _storyOfKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool> _carriesFeed = new(StringComparer.Ordinal);
    private readonly TimeSpan _horizon;
    private (TextSignature Signature, DateTime Published, List<(string Id, TextSignature Signature)> Stories)? _candidates;

    private PostgresLookups(PostgresSession s, string feedId, TimeSpan horizon)
    {
        _s = s;
        _feedId = feedId;
        _horizon = horizon;
    }

    /// <summary>The stories an operator split this source from (feed, canonical URL), or null.</summary>
    public HashSet<string>? SplitFrom { get; private set; }

    /// <summary>Reads everything matching <paramref name="keys"/> and <paramref name="signature"/> can ask, in one round trip (with the pending locks ahead of it).</summary>
    public static PostgresLookups Read(PostgresSession s, IReadOnlyList<StoryKey> keys, TextSignature? signature, DateTime published, string feedId, string? url, TimeSpan horizon)
    {
        var lookups = new PostgresLookups(s, feedId, horizon);
        lookups._keysAsked.UnionWith(keys.Select(k => k.Hash));
        var canonical = UrlCanonicalizer.Canonicalize(url);
        var commands = new List<NpgsqlBatchCommand>
        {
            PostgresSession.Command("""
                SELECT k.key_hash, k.story_id, EXISTS (SELECT 1 FROM story_feeds f WHERE f.story_id = k.story_id AND f.feed_id = @f)
                FROM story_keys k WHERE k.key_hash = ANY(@k)
                """, ("k", lookups._keysAsked.ToArray()), ("f", feedId)),
        };
        if (canonical is not null) commands.Add(PostgresSession.Command("SELECT from_story FROM splits WHERE feed_id = @f AND url = @u", ("f", feedId), ("u", canonical)));
        if (signature is not null) commands.Add(lookups.CandidatesCommand(signature, published));
        return s.Read(commands, reader =>
        {
            foreach (var (hash, story, carries) in PostgresSession.ReadAll(reader, r => (r.GetString(0), r.GetString(1), r.GetBoolean(2))))
            {
                lookups._storyOfKey[hash] = story;
                lookups._carriesFeed[story] = carries;
            }
            if (canonical is not null && reader.NextResult())
                lookups.SplitFrom = PostgresSession.ReadAll(reader, r => r.GetString(0)) is { Count: > 0 } from ? from.ToHashSet(StringComparer.Ordinal) : null;
            if (signature is not null && reader.NextResult())
                lookups._candidates = (signature, published, lookups.ReadCandidates(reader));
            return lookups;
        });
    }

    public string? StoryOfKey(string keyHash) =>
        _storyOfKey.TryGetValue(keyHash, out var id) ? id
        : _keysAsked.Contains(keyHash) ? null
        : _s.Scalar("SELECT story_id FROM story_keys WHERE key_hash = @h", ("h", keyHash)) as string;

    public bool CarriesFeed(string storyId, string feedId) =>
        feedId == _feedId && _carriesFeed.TryGetValue(storyId, out var carries) ? carries
        : _s.Scalar("SELECT 1 FROM story_feeds WHERE story_id = @s AND feed_id = @f", ("s", storyId), ("f", feedId)) is not null;

    /// <summary>Candidates share a band and lie within the window; the rule and the score are <see cref="NearDuplicateIndex"/>'s.</summary>
    public (string StoryId, double Similarity)? NearDuplicate(TextSignature signature, DateTime published, Func<string, bool> excluded)
    {
        var candidates = _candidates is { } read && read.Signature == signature && read.Published == published ? read.Stories
            : _s.Read([CandidatesCommand(signature, published)], ReadCandidates);
        return NearDuplicateRule.Best(signature, candidates.Where(c => !excluded(c.Id)));
    }

    /// <summary>
    /// Stories sharing a band with the signature, published within the window of it and — as in
    /// <see cref="NearDuplicateIndex"/>, which holds only those — within the horizon of the newest
    /// story stored (never of the clock); with whether each already carries this feed.
    /// </summary>
    private NpgsqlBatchCommand CandidatesCommand(TextSignature signature, DateTime published)
    {
        var at = PostgresRows.Ticks(published);
        var window = NearDuplicateIndex.Window.Ticks;
        return PostgresSession.Command("""
            SELECT g.story_id, g.minhashes, g.shingles, g.lead, EXISTS (SELECT 1 FROM story_feeds f WHERE f.story_id = g.story_id AND f.feed_id = @f)
            FROM signatures g
            WHERE g.story_id IN (
                SELECT story_id FROM story_bands WHERE band_hash = ANY(@b)
                AND published BETWEEN greatest(@lo, (SELECT published FROM stories ORDER BY sort_key DESC LIMIT 1) - @horizon) AND @hi)
            ORDER BY g.story_id
            """,
            ("b", PostgresBands.Of(signature)), ("lo", SaturatingAdd(at, -window)), ("hi", SaturatingAdd(at, window)), ("horizon", _horizon.Ticks), ("f", _feedId));
    }

    private List<(string Id, TextSignature Signature)> ReadCandidates(NpgsqlDataReader reader) =>
        PostgresSession.ReadAll(reader, r =>
        {
            var id = r.GetString(0);
            _carriesFeed[id] = r.GetBoolean(4);
            return (id, TextSignature.FromStored((byte[])r[1], r.GetInt32(2), r.IsDBNull(3) ? null : (byte[])r[3]));
        });

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
