using System.Text.Json;
using Aggregator.Api;
using Aggregator.Core.Storage;

namespace Aggregator.Webhooks;

/// <summary>
/// What a webhook POSTs and an <c>/api/stream</c> event carries: <c>{"id","type","occurredAt","story","source"}</c>.
/// <c>story</c> is the story as <c>GET /api/stories/{id}</c> shows it when the event is sent (null once
/// it has been deleted), its <c>html</c> left out (null) above <see cref="MaxHtmlChars"/>;
/// <c>source</c> is the source that joined, for <c>source.added</c>.
/// </summary>
public sealed record EventPayloadDto(long Id, string Type, DateTime OccurredAt, StoryDetailDto? Story, SourceDto? Source);

/// <summary>Builds event payloads from the outbox and the story's current state.</summary>
public sealed class EventPayloads(IStoryStore store, TimeProvider time)
{
    /// <summary>Bodies are kept small: a story's HTML longer than this is left out (the text stays; the API has the HTML).</summary>
    public const int MaxHtmlChars = 32 * 1024;

    public EventPayloadDto Build(OutboxEventRecord e)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var story = store.GetStory(e.StoryId);
        var detail = story is null ? null : StoryDetailDto.From(story, now);
        if (detail is { Html.Length: > MaxHtmlChars }) detail = detail with { Html = null };
        var source = e.Type == OutboxEventTypes.SourceAdded
            ? story?.Sources.FirstOrDefault(s => s.FeedId == e.FeedId && s.Url == e.SourceUrl) is { } joined ? SourceDto.From(joined, now) : null
            : null;
        return new EventPayloadDto(e.Id, e.Type, DateTime.SpecifyKind(e.At, DateTimeKind.Utc), detail, source);
    }

    /// <summary>The UTF-8 JSON body (one line: it is also an SSE <c>data:</c> field).</summary>
    public byte[] Serialize(OutboxEventRecord e) => JsonSerializer.SerializeToUtf8Bytes(Build(e), ApiJsonContext.Default.EventPayloadDto);
}
