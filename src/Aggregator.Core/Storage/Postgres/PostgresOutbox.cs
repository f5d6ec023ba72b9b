using static Aggregator.Core.Storage.Postgres.PostgresRows;

namespace Aggregator.Core.Storage.Postgres;

/// <summary>The outbox on PostgreSQL: events appended in their write's transaction, read by id, trimmed by age and count; webhook delivery state.</summary>
public sealed partial class PostgresStoryStore
{
    public long LatestEventId => Read(s => Convert.ToInt64(
        s.Scalar($"SELECT coalesce(max(id), 0) FROM outbox WHERE id < {PostgresOutbox.Watermark}"), System.Globalization.CultureInfo.InvariantCulture));

    public IReadOnlyList<OutboxEventRecord> ReadEvents(long afterId, int limit) =>
        Read(s => s.Rows($"SELECT id, type, story_id, at, feed_id, source_url FROM outbox WHERE id > @after AND id < {PostgresOutbox.Watermark} ORDER BY id LIMIT @n",
            r => new OutboxEventRecord
            {
                Id = r.GetInt64(0), Type = r.GetString(1), StoryId = r.GetString(2), At = FromTicks(r.GetInt64(3)),
                FeedId = r.IsDBNull(4) ? null : r.GetString(4), SourceUrl = r.IsDBNull(5) ? null : r.GetString(5),
            }, ("after", afterId), ("n", limit)));

    /// <summary>Deletes readable events older than the age or beyond the newest <paramref name="maxEvents"/>; the newest readable one stays (so <see cref="LatestEventId"/> never goes back).</summary>
    public Task<int> TrimOutboxAsync(DateTime olderThan, int maxEvents) =>
        WriteAsync(s => s.Execute($"""
            DELETE FROM outbox WHERE id < (SELECT max(id) FROM outbox WHERE id < {PostgresOutbox.Watermark})
              AND (at < @before OR id <= coalesce((SELECT id FROM outbox ORDER BY id DESC OFFSET @max LIMIT 1), 0))
            """, ("before", Ticks(olderThan)), ("max", maxEvents)), changesStories: false);

    /// <summary>Whether this node delivers the hook now: the one holding its session lock (<see cref="PostgresWebhookClaims"/>).</summary>
    public bool ClaimWebhook(string hookId) => _claims.Claim(hookId);

    public WebhookStateRecord? GetWebhookState(string hookId) =>
        Read(s => s.Scalar("SELECT record FROM webhook_state WHERE id = @id", ("id", hookId))) is string json ? FromJson<WebhookStateRecord>(json) : null;

    /// <summary>A cursor never moves back: a node that delivered less than another does not undo the other's progress.</summary>
    public Task SaveWebhookStateAsync(WebhookStateRecord state) =>
        WriteAsync(s => s.Execute("""
            INSERT INTO webhook_state (id, record) VALUES (@id, @r)
            ON CONFLICT (id) DO UPDATE SET record = CASE
              WHEN (webhook_state.record->>'LastDelivered')::bigint > (excluded.record->>'LastDelivered')::bigint
              THEN jsonb_set(excluded.record, '{LastDelivered}', webhook_state.record->'LastDelivered')
              ELSE excluded.record END
            """, ("id", state.Id), ("r", ToJson(state))), changesStories: false);
}

/// <summary>
/// Event ids without a shared counter: an event's id is its transaction's id (xid8) shifted left by
/// <see cref="Shift"/> bits, plus its place in the transaction, so writers never wait on one another
/// for ids. Ids follow the order transactions began writing, not the order they commit, so readers
/// stop at the <see cref="Watermark"/>: the id of the oldest transaction still running in their
/// snapshot (<c>pg_snapshot_xmin</c>). Below it every transaction has ended and can no longer add an
/// event; every one that will commit later has an xid — and ids — at or above it. So a reader that
/// has seen id N has seen every id below N that will ever exist, and "everything after N" stays a
/// complete resume point. The cost: one long write transaction anywhere on the server holds readers
/// back until it ends (never longer).
/// </summary>
internal static class PostgresOutbox
{
    /// <summary>Bits of an id that number a transaction's events: a write emits a handful, never 65,536.</summary>
    private const int Shift = 16;

    /// <summary>The first id a reader may not read yet: every id below it belongs to a transaction that has ended (SQL, evaluated in the reading statement's snapshot).</summary>
    public static readonly string Watermark = $"(pg_snapshot_xmin(pg_current_snapshot())::text::bigint << {Shift})";

    /// <summary>Inserts the write's events (with the next command, usually the commit: no round trip of its own).</summary>
    public static void Append(PostgresSession s)
    {
        if (s.Events.Count == 0) return;
        if (s.Events.Count >= 1 << Shift) throw new InvalidOperationException($"storage: a write emitted {s.Events.Count} events; at most {(1 << Shift) - 1} fit one transaction's ids");
        s.Defer($"""
            INSERT INTO outbox (id, type, story_id, at, feed_id, source_url)
            SELECT (pg_current_xact_id()::text::bigint << {Shift}) | e.n, e.type, e.story, e.at, e.feed, e.url
            FROM unnest(@type, @story, @at, @feed, @url) WITH ORDINALITY AS e(type, story, at, feed, url, n)
            """,
            ("type", s.Events.Select(e => e.Type).ToArray()), ("story", s.Events.Select(e => e.StoryId).ToArray()),
            ("at", s.Events.Select(e => Ticks(e.At)).ToArray()), ("feed", s.Events.Select(e => e.FeedId).ToArray()),
            ("url", s.Events.Select(e => e.SourceUrl).ToArray()));
    }
}
