using Aggregator.Core.Dedup;
using static Aggregator.Core.Storage.Postgres.PostgresRows;

namespace Aggregator.Core.Storage.Postgres;

/// <summary>Writes: the same steps as <see cref="StoryStore"/>'s, each in one transaction, with the same pure rules.</summary>
public sealed partial class PostgresStoryStore
{
    public Task<(string StoryId, bool Created)> AddOrAttachAsync(StoryRecord candidate, IReadOnlyList<StoryKey> keys, DateTime now, TextSignature? signature = null)
    {
        var source = candidate.Sources[0];
        // Most items are new stories: their row is made before the transaction, outside its locks.
        var row = PostgresRows.StoryRow(candidate);
        return WriteAsync(s =>
        {
            var lookups = PostgresLookups.Read(s, keys, signature, candidate.Published, source.FeedId, source.Url, Horizon);
            var match = StoryMatcher.Match(keys, signature, candidate.Published, source.FeedId, lookups.SplitFrom, lookups);
            if (match is var (existing, reason))
            {
                // A key of a deleted story is a tombstone: the item does not come back.
                if (PostgresRows.GetStory(s, existing, forUpdate: true) is not { } story) return (existing, false);
                source.MatchedBy = reason;
                Attach(s, story, source, now);
                AddKeys(s, existing, source.FeedId, keys);
                return (existing, false);
            }
            InsertStory(s, candidate, row);
            s.StoryDelta++;
            s.Emit(OutboxEventTypes.StoryCreated, candidate.Id, EventTime);
            AddKeys(s, candidate.Id, source.FeedId, keys, signature, candidate.Published, isNew: true);
            return (candidate.Id, true);
        }, PostgresBands.Locks(keys, signature));
    }

    public Task<StoryRecord?> AttachSourceAsync(string storyId, StorySource source, IEnumerable<StoryKey> keys, DateTime now)
    {
        var list = keys.ToList();
        return WriteAsync(s =>
        {
            if (PostgresRows.GetStory(s, storyId, forUpdate: true) is not { } story) return null;
            Attach(s, story, source, now);
            AddKeys(s, storyId, source.FeedId, list);
            return story;
        }, PostgresBands.Locks(list, null));
    }

    public Task<StoryRecord?> UpdateStoryAsync(string storyId, Func<StoryRecord, bool> change, string? feedId = null,
        IReadOnlyList<StoryKey>? keys = null, TextSignature? signature = null) =>
        WriteAsync(s =>
        {
            if (PostgresRows.GetStory(s, storyId, forUpdate: true) is not { } story) return null;
            var before = OutboxRule.Visible.Of(story);
            if (!change(story)) return story;
            UpdateStory(s, story, textChanged: before.Title != story.Title || before.Text != story.Text);
            if (OutboxRule.IsNews(before, story)) s.Emit(OutboxEventTypes.StoryUpdated, storyId, EventTime);
            if (feedId is not null && (keys is { Count: > 0 } || signature is not null))
                AddKeys(s, storyId, feedId, keys ?? [], signature, story.Published);
            return story;
        }, PostgresBands.Locks(keys ?? [], signature));

    /// <summary>Deletes stories; their keys stay as tombstones (with the time), their signatures, bands and split entries go.</summary>
    public Task<int> DeleteStoriesAsync(IReadOnlyCollection<string> ids, DateTime now) =>
        WriteAsync(s =>
        {
            var deleted = s.Rows("DELETE FROM stories WHERE id = ANY(@ids) RETURNING id", r => r.GetString(0), ("ids", ids.Distinct().ToArray())).ToArray();
            if (deleted.Length == 0) return 0;
            s.StoryDelta -= deleted.Length;
            s.Defer("UPDATE story_keys SET deleted = @now WHERE story_id = ANY(@ids)", ("ids", deleted), ("now", Ticks(now)));
            s.Defer("DELETE FROM signatures WHERE story_id = ANY(@ids)", ("ids", deleted));
            s.Defer("DELETE FROM story_bands WHERE story_id = ANY(@ids)", ("ids", deleted));
            s.Defer("DELETE FROM splits WHERE from_story = ANY(@ids) OR to_story = ANY(@ids)", ("ids", deleted));
            return deleted.Length;
        });

    /// <summary>Forgets the tombstones (keys and feeds) of up to <paramref name="limit"/> stories deleted before <paramref name="deletedBefore"/>.</summary>
    public Task<int> PurgeTombstonesAsync(DateTime deletedBefore, int limit = 1000) =>
        WriteAsync(s =>
        {
            var ids = s.Rows("SELECT DISTINCT story_id FROM story_keys WHERE deleted <= @before LIMIT @n",
                r => r.GetString(0), ("before", Ticks(deletedBefore)), ("n", limit)).ToArray();
            if (ids.Length > 0)
            {
                s.Defer("DELETE FROM story_keys WHERE story_id = ANY(@ids) AND deleted IS NOT NULL", ("ids", ids));
                s.Defer("DELETE FROM story_feeds WHERE story_id = ANY(@ids)", ("ids", ids));
            }
            return ids.Length;
        });

    public Task<SplitResult> SplitSourceAsync(string storyId, string url, DateTime now, string? feedId = null) =>
        WriteAsync(s =>
        {
            if (PostgresRows.GetStory(s, storyId, forUpdate: true) is not { } story) return new SplitResult(SplitOutcome.NoStory, null, null);
            var canonical = UrlCanonicalizer.Canonicalize(url);
            var source = canonical is null ? null : SplitRule.FindSource(story, canonical, feedId);
            if (source is null) return new SplitResult(SplitOutcome.NoSource, story, null);
            if (story.Sources.Count == 1) return new SplitResult(SplitOutcome.OnlySource, story, null);

            var split = SplitRule.SplitOff(story, source, canonical!, now);
            UpdateStory(s, story);
            InsertStory(s, split);
            s.StoryDelta++;
            s.Emit(OutboxEventTypes.StoryUpdated, storyId, EventTime);
            s.Emit(OutboxEventTypes.StoryCreated, split.Id, EventTime);
            s.Defer("UPDATE story_keys SET story_id = @to WHERE key_hash = ANY(@k) AND story_id = @from",
                ("to", split.Id), ("from", storyId), ("k", SplitRule.KeysThatMove(source).ToArray()));
            if (story.Sources.All(x => x.FeedId != source.FeedId))
                s.Defer("DELETE FROM story_feeds WHERE story_id = @s AND feed_id = @f", ("s", storyId), ("f", source.FeedId));
            s.Defer("INSERT INTO story_feeds (story_id, feed_id) VALUES (@s, @f) ON CONFLICT DO NOTHING", ("s", split.Id), ("f", source.FeedId));
            var ledger = SplitRule.Ledger(storyId, split, source, canonical!, now);
            s.Defer("""
                INSERT INTO splits (id, from_story, to_story, feed_id, url, at) VALUES (@id, @from, @to, @f, @u, @at)
                ON CONFLICT (id) DO UPDATE SET from_story = excluded.from_story, to_story = excluded.to_story, at = excluded.at
                """, ("id", ledger.Id), ("from", ledger.FromStory), ("to", ledger.ToStory), ("f", ledger.FeedId), ("u", ledger.Url), ("at", Ticks(ledger.At)));
            return new SplitResult(SplitOutcome.Split, story, split);
        });

    /// <summary>Saves a feed's state; while that fails, readers see the state as last attempted (as with LiteDB).</summary>
    public async Task SaveFeedStateAsync(FeedStateRecord state)
    {
        _unsavedFeedStates[state.Id] = state;
        await WriteAsync(s => s.Execute("INSERT INTO feed_state (id, record) VALUES (@id, @r) ON CONFLICT (id) DO UPDATE SET record = excluded.record",
            ("id", state.Id), ("r", ToJson(state))), changesStories: false, transactional: false).ConfigureAwait(false);
        _unsavedFeedStates.TryRemove(new KeyValuePair<string, FeedStateRecord>(state.Id, state));
    }

    /// <summary>Adds an article to its site's profile (see <see cref="PostgresSiteProfiles"/>): one statement, no row lock held across round trips.</summary>
    public Task<IReadOnlyList<LearnedLineRecord>> RecordSiteArticleAsync(string site, string url, IReadOnlyList<(long Fingerprint, string Text)> paragraphs,
        DateTime now, int window, int minArticles) =>
        _profiles.RecordAsync(site, new PostgresSiteProfiles.Article(url, paragraphs, now, window, minArticles));

    private void Attach(PostgresSession s, StoryRecord story, StorySource source, DateTime now)
    {
        var (title, text) = (story.Title, story.Text);
        if (!Representative.Attach(story, source, now)) return;
        UpdateStory(s, story, textChanged: title != story.Title || text != story.Text);
        s.Emit(OutboxEventTypes.SourceAdded, story.Id, EventTime, source);
    }

    /// <summary>The time an outbox event records: the store's clock when its change is applied.</summary>
    private DateTime EventTime => _time.GetUtcNow().UtcDateTime;

    /// <summary>A blocked item's keys as a tombstone of its own, with the feed that blocked it (see <see cref="IStoryStore.RememberBlockedAsync"/>).</summary>
    public Task RememberBlockedAsync(string feedId, IReadOnlyList<StoryKey> blockedKeys, DateTime now) =>
        WriteAsync(s =>
        {
            var id = StoryKeys.BlockedId(blockedKeys);
            s.Defer("INSERT INTO story_keys (key_hash, story_id, deleted) SELECT unnest(@k), @s, @now ON CONFLICT DO NOTHING",
                ("k", blockedKeys.Select(k => k.Hash).Distinct().ToArray()), ("s", id), ("now", Ticks(now)));
            s.Defer("INSERT INTO story_feeds (story_id, feed_id) VALUES (@s, @f) ON CONFLICT DO NOTHING", ("s", id), ("f", feedId));
            return true;
        }, changesStories: false);

    /// <summary>Records keys (a key another story owns stays that story's), the carrying feed, and the body's signature and bands.</summary>
    private static void AddKeys(PostgresSession s, string storyId, string feedId, IEnumerable<StoryKey> keys, TextSignature? signature = null, DateTime published = default, bool isNew = false)
    {
        var hashes = keys.Select(k => k.Hash).Distinct().ToArray();
        if (hashes.Length > 0)
            s.Defer("INSERT INTO story_keys (key_hash, story_id) SELECT unnest(@k), @s ON CONFLICT DO NOTHING", ("k", hashes), ("s", storyId));
        s.Defer("INSERT INTO story_feeds (story_id, feed_id) VALUES (@s, @f) ON CONFLICT DO NOTHING", ("s", storyId), ("f", feedId));
        if (signature is null) return;
        var at = Ticks(published);
        var (minHashes, lead) = signature.ToStored();
        s.Defer("""
            INSERT INTO signatures (story_id, minhashes, shingles, lead, published) VALUES (@s, @m, @n, @l, @p)
            ON CONFLICT (story_id) DO UPDATE SET minhashes = excluded.minhashes, shingles = excluded.shingles, lead = excluded.lead, published = excluded.published
            """, ("s", storyId), ("m", minHashes), ("n", signature.Shingles), ("l", (object?)lead ?? DBNull.Value), ("p", at));
        if (!isNew) s.Defer("DELETE FROM story_bands WHERE story_id = @s", ("s", storyId));
        s.Defer("INSERT INTO story_bands (band_hash, story_id, published) SELECT DISTINCT unnest(@b), @s, @p", ("s", storyId), ("p", at), ("b", PostgresBands.Of(signature)));
    }
}
