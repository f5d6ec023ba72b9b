using System.Text;
using Aggregator.Core.Dedup;
using static Aggregator.Core.Storage.Postgres.PostgresRows;

namespace Aggregator.Core.Storage.Postgres;

/// <summary>Reads: committed data, straight from the database (counts are cached per <see cref="Version"/>).</summary>
public sealed partial class PostgresStoryStore
{
    private static readonly IReadOnlySet<long> EmptySet = new HashSet<long>();

    public (string StoryId, string MatchedBy)? FindStory(IEnumerable<StoryKey> keys)
    {
        var list = keys.ToList();
        if (list.Count == 0) return null;
        var found = Read(s => s.Rows("SELECT key_hash, story_id FROM story_keys WHERE key_hash = ANY(@k)", r => (r.GetString(0), r.GetString(1)),
            ("k", list.Select(k => k.Hash).Distinct().ToArray()))).ToDictionary(x => x.Item1, x => x.Item2, StringComparer.Ordinal);
        foreach (var key in list)
            if (found.TryGetValue(key.Hash, out var id)) return (id, key.Kind);
        return null;
    }

    public StoryRecord? GetStory(string id) => Read(s => PostgresRows.GetStory(s, id));

    /// <summary>Keyset pagination on the sort key, newest first, with <see cref="StoryStore"/>'s filters done by the server.</summary>
    public StoryPage QueryStories(StoryQuery query)
    {
        var sql = new StringBuilder("SELECT record FROM stories WHERE true");
        var args = new List<(string, object?)>();
        void Filter(string clause, string name, object value)
        {
            sql.Append(" AND ").Append(clause);
            args.Add((name, value));
        }
        if (query.Before is not null) Filter("sort_key < @before", "before", query.Before);
        if (query.Category is not null) Filter("lower(category) = lower(@category)", "category", query.Category);
        if (query.Since is { } since) Filter("published >= @since", "since", Ticks(since));
        if (query.Until is { } until) Filter("published <= @until", "until", Ticks(until));
        if (query.FeedId is not null) Filter("record->'Sources' @> @feed", "feed", new Json(new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["FeedId"] = query.FeedId }).ToJsonString()));
        if (query.Text is not null)
        {
            var search = SearchQuery.Parse(query.Text);
            if (search.IsEmpty) return new StoryPage([], null);
            Filter("terms @@ @q::tsquery", "q", PostgresSearch.TsQuery(search));
        }
        sql.Append(" ORDER BY sort_key DESC LIMIT @limit");
        args.Add(("limit", query.Limit + 1));
        var page = Read(s => s.Rows(sql.ToString(), ReadStory, [.. args]));
        var next = page.Count > query.Limit ? page[query.Limit - 1].SortKey : null;
        return new StoryPage(page.Take(query.Limit).ToList(), next);
    }

    public IReadOnlyList<string> FindExpired(DateTime publishedBefore, int maxStories, int limit) => Read(s =>
    {
        var old = s.Rows("SELECT id FROM stories WHERE sort_key < @k ORDER BY sort_key LIMIT @n", r => r.GetString(0),
            ("k", StoryRecord.MakeSortKey(publishedBefore, "")), ("n", limit));
        if (old.Count >= limit) return old;
        var excess = Convert.ToInt32(s.Scalar("SELECT sum(stories) FROM store_version"), System.Globalization.CultureInfo.InvariantCulture) - maxStories;
        if (excess <= 0) return old;
        var beyond = s.Rows("SELECT id FROM stories ORDER BY sort_key LIMIT @n", r => r.GetString(0), ("n", Math.Min(excess, limit - old.Count)));
        return (IReadOnlyList<string>)old.Union(beyond).ToList();
    });

    /// <summary>Stories per feed id (live stories only: a tombstone's feeds no longer count).</summary>
    public IReadOnlyDictionary<string, int> CountStoriesByFeed() => Read(s =>
        s.Rows("SELECT f.feed_id, count(*) FROM story_feeds f JOIN stories t ON t.id = f.story_id GROUP BY f.feed_id", r => (r.GetString(0), (int)r.GetInt64(1)))
            .ToDictionary(x => x.Item1, x => x.Item2, StringComparer.Ordinal));

    /// <summary>Blocked items remembered per feed: the feeds of the blocked tombstones (<see cref="StoryKeys.BlockedId"/>).</summary>
    public IReadOnlyDictionary<string, int> CountBlockedByFeed() => Read(s =>
        s.Rows("SELECT feed_id, count(*) FROM story_feeds WHERE story_id LIKE 'blocked-%' GROUP BY feed_id", r => (r.GetString(0), (int)r.GetInt64(1)))
            .ToDictionary(x => x.Item1, x => x.Item2, StringComparer.Ordinal));

    public FeedStateRecord GetFeedState(string feedId) =>
        _unsavedFeedStates.TryGetValue(feedId, out var unsaved) ? unsaved.Clone()
        : Read(s => s.Scalar("SELECT record FROM feed_state WHERE id = @id", ("id", feedId))) is string json ? FromJson<FeedStateRecord>(json)
        : new FeedStateRecord { Id = feedId };

    /// <summary>A site's learned fingerprints, cached for a few seconds (another node's learning shows within that).</summary>
    public IReadOnlySet<long> LearnedBoilerplateFor(string site)
    {
        if (_learned.TryGetValue(site, out var cached) && _time.GetUtcNow() - cached.At < ProfileTtl) return cached.Set;
        var set = Read(s => s.Scalar("SELECT record FROM site_profiles WHERE id = @id", ("id", site))) is string json
            ? FromJson<SiteProfileRecord>(json).Learned.Select(l => l.Fingerprint).ToHashSet()
            : EmptySet;
        _learned[site] = (_time.GetUtcNow(), set);
        return set;
    }

    public IReadOnlyList<SiteProfileRecord> SiteProfiles() =>
        Read(s => s.Rows("SELECT record FROM site_profiles ORDER BY id COLLATE \"C\"", r => FromJson<SiteProfileRecord>(r.GetString(0))));
}
