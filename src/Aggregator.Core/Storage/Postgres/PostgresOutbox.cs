using static Aggregator.Core.Storage.Postgres.PostgresRows;

namespace Aggregator.Core.Storage.Postgres;

/// <summary>The outbox on PostgreSQL: events appended in their write's transaction, read by id, trimmed by age and count; webhook delivery state.</summary>
public sealed partial class PostgresStoryStore
{
    public long LatestEventId => Read(s => Convert.ToInt64(s.Scalar("SELECT last FROM outbox_sequence WHERE id = 0"), System.Globalization.CultureInfo.InvariantCulture));

    public IReadOnlyList<OutboxEventRecord> ReadEvents(long afterId, int limit) =>
        Read(s => s.Rows("SELECT id, type, story_id, at, feed_id, source_url FROM outbox WHERE id > @after ORDER BY id LIMIT @n",
            r => new OutboxEventRecord
            {
                Id = r.GetInt64(0), Type = r.GetString(1), StoryId = r.GetString(2), At = FromTicks(r.GetInt64(3)),
                FeedId = r.IsDBNull(4) ? null : r.GetString(4), SourceUrl = r.IsDBNull(5) ? null : r.GetString(5),
            }, ("after", afterId), ("n", limit)));

    /// <summary>Deletes events older than the age or beyond the newest <paramref name="maxEvents"/>; the newest stays.</summary>
    public Task<int> TrimOutboxAsync(DateTime olderThan, int maxEvents) =>
        WriteAsync(s => s.Execute("""
            DELETE FROM outbox WHERE id < (SELECT last FROM outbox_sequence WHERE id = 0)
              AND (at < @before OR id <= coalesce((SELECT id FROM outbox ORDER BY id DESC OFFSET @max LIMIT 1), 0))
            """, ("before", Ticks(olderThan)), ("max", maxEvents)), changesStories: false);

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

/// <summary>Gives a write's events their ids from the counter row (locked until the commit) and inserts them.</summary>
internal static class PostgresOutbox
{
    public static void Append(PostgresSession s)
    {
        if (s.Events.Count == 0) return;
        var last = Convert.ToInt64(s.Scalar("UPDATE outbox_sequence SET last = last + @n WHERE id = 0 RETURNING last", ("n", (long)s.Events.Count)),
            System.Globalization.CultureInfo.InvariantCulture);
        var first = last - s.Events.Count + 1;
        for (var i = 0; i < s.Events.Count; i++) s.Events[i].Id = first + i;
        s.Execute("""
            INSERT INTO outbox (id, type, story_id, at, feed_id, source_url)
            SELECT * FROM unnest(@id, @type, @story, @at, @feed, @url)
            """,
            ("id", s.Events.Select(e => e.Id).ToArray()), ("type", s.Events.Select(e => e.Type).ToArray()),
            ("story", s.Events.Select(e => e.StoryId).ToArray()), ("at", s.Events.Select(e => Ticks(e.At)).ToArray()),
            ("feed", s.Events.Select(e => e.FeedId).ToArray()), ("url", s.Events.Select(e => e.SourceUrl).ToArray()));
    }
}
