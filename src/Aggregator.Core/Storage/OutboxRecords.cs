namespace Aggregator.Core.Storage;

/// <summary>
/// One event of the outbox: a story change, written in the same transaction as the change, so
/// webhooks and the live stream never miss one and never see one that did not commit. Ids grow in
/// the order readers get them (gaps allowed): a reader that has seen id N has seen every id below N
/// that will ever commit, so "everything after N" is a complete resume point.
/// </summary>
public sealed class OutboxEventRecord
{
    public long Id { get; set; }
    /// <summary>One of <see cref="OutboxEventTypes"/>.</summary>
    public string Type { get; set; } = "";
    public string StoryId { get; set; } = "";
    /// <summary>When the change committed (UTC, the store's clock).</summary>
    public DateTime At { get; set; }
    /// <summary>For source.added: the feed and URL of the source that joined.</summary>
    public string? FeedId { get; set; }
    public string? SourceUrl { get; set; }
}

public static class OutboxEventTypes
{
    public const string StoryCreated = "story.created";
    public const string StoryUpdated = "story.updated";
    public const string SourceAdded = "source.added";

    public static readonly IReadOnlyList<string> All = [StoryCreated, StoryUpdated, SourceAdded];
}

/// <summary>Where one webhook's delivery stands: its cursor in the outbox and its last attempt.</summary>
public sealed class WebhookStateRecord
{
    /// <summary>The hook's id (<c>webhooks[].id</c>).</summary>
    public string Id { get; set; } = "";
    /// <summary>Every event up to this id is delivered (or not subscribed to): delivery resumes after it.</summary>
    public long LastDelivered { get; set; }
    /// <summary>The HTTP status of the last attempt (null when it got no answer).</summary>
    public int? LastStatus { get; set; }
    public string? LastError { get; set; }
    /// <summary>Failed attempts at the event now due (0 after a success).</summary>
    public int Failures { get; set; }
    public DateTime? LastAttempt { get; set; }
    public DateTime? LastSuccess { get; set; }
    /// <summary>Not before this time (backoff after failures); null: now.</summary>
    public DateTime? NextAttempt { get; set; }

    public WebhookStateRecord Clone() => (WebhookStateRecord)MemberwiseClone();
}

/// <summary>
/// When a story change is an event (pure): which type, and whether an update changed what readers
/// see (a fetch counter or a feed's own timestamp moving is not news).
/// </summary>
public static class OutboxRule
{
    /// <summary>What readers see of a story, to compare before and after an update.</summary>
    public readonly record struct Visible(string Title, string? Url, string? Summary, string? Text, string? Html, string? ImageUrl, DateTime Updated, int Sources)
    {
        public static Visible Of(StoryRecord s) => new(s.Title, s.Url, s.Summary, s.Text, s.Html, s.ImageUrl, s.Updated, s.Sources.Count);
    }

    public static bool IsNews(Visible before, StoryRecord after) => before != Visible.Of(after);
}
