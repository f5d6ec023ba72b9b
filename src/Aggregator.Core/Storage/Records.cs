namespace Aggregator.Core.Storage;

/// <summary>One real-world story, whichever feeds carried it. Dates are UTC.</summary>
public sealed class StoryRecord
{
    public string Id { get; set; } = "";
    /// <summary>Published ticks (19 digits) then id: a total order for keyset pagination, newest last.</summary>
    public string SortKey { get; set; } = "";
    public string Title { get; set; } = "";
    public string? Url { get; set; }
    public string Category { get; set; } = "";
    public string? Summary { get; set; }
    public string? Text { get; set; }
    public string? Html { get; set; }
    public string? Byline { get; set; }
    public string? ImageUrl { get; set; }
    public string? Language { get; set; }
    public DateTime Published { get; set; }
    public DateTime FirstSeen { get; set; }
    public DateTime Updated { get; set; }
    /// <summary>The source URL the stored body was extracted from (null when no body is stored).</summary>
    public string? BodyUrl { get; set; }
    /// <summary>How the body was found: rules, readability, jsonld, baseline (the page's cascade), or feed (the item's own content).</summary>
    public string? ExtractedBy { get; set; }
    public List<StorySource> Sources { get; set; } = [];

    public static string MakeSortKey(DateTime published, string id) => $"{published.Ticks:D19}{id}";
}

/// <summary>One outlet's copy of a story, and how it was matched to the story.</summary>
public sealed class StorySource
{
    public string FeedId { get; set; } = "";
    public string? Title { get; set; }
    public string? Url { get; set; }
    public string? ItemId { get; set; }
    public string? ItemTitle { get; set; }
    public DateTime? Published { get; set; }
    /// <summary>The item's own updated time, as last seen in the feed: a later one means the text changed.</summary>
    public DateTime? ItemUpdated { get; set; }
    /// <summary>How many times its article page was fetched (a page that gave no body is retried a few times).</summary>
    public int Fetches { get; set; }
    public DateTime FirstSeen { get; set; }
    /// <summary>How the source joined: new, guid, url, canonical, text, "similar-text 0.87", "split from ID".</summary>
    public string MatchedBy { get; set; } = "new";
    /// <summary>The feed's priority when the source joined; the highest represents the story, then the earliest.</summary>
    public int Priority { get; set; }
}

/// <summary>
/// A story's dedup keys (SHA-256 hex) and the feeds that carried it: one small document per story,
/// the durable copy of the in-memory key index (a key belongs to one story only).
/// </summary>
public sealed class StoryKeysRecord
{
    public string Id { get; set; } = "";
    public List<string> Keys { get; set; } = [];
    public List<string> Feeds { get; set; } = [];
    /// <summary>MinHash signature of the body (64 × uint32, little-endian), for near-duplicate matching.</summary>
    public byte[]? Signature { get; set; }
    /// <summary>Distinct shingles behind the signature (0 for records stored before it was kept): containment needs it.</summary>
    public int Shingles { get; set; }
    /// <summary>The lead sample (<see cref="Dedup.TextSignature.Lead"/>, 8 × uint64); null for records stored before it was kept.</summary>
    public byte[]? Lead { get; set; }
    public DateTime Published { get; set; }
    /// <summary>
    /// Set when the story was deleted (retention, operator): the keys stay as a tombstone, so the
    /// item does not come back as new while its feed still lists it.
    /// </summary>
    public DateTime? Deleted { get; set; }
}

/// <summary>
/// An operator's split: the source (feed, canonical URL) must not join <see cref="FromStory"/> again,
/// however similar the text. Its keys were moved to <see cref="ToStory"/>.
/// </summary>
public sealed class SplitRecord
{
    public string Id { get; set; } = "";
    public string FromStory { get; set; } = "";
    public string ToStory { get; set; } = "";
    public string FeedId { get; set; } = "";
    public string Url { get; set; } = "";
    public DateTime At { get; set; }
}

/// <summary>What we know about a feed between polls: validators and health.</summary>
public sealed class FeedStateRecord
{
    public string Id { get; set; } = "";
    public string? ETag { get; set; }
    public string? LastModified { get; set; }
    public string Status { get; set; } = FeedStatus.Pending;
    public DateTime? LastFetched { get; set; }
    public DateTime? LastSucceeded { get; set; }
    public string? Error { get; set; }
    public string? ErrorClass { get; set; }
    public int ConsecutiveFailures { get; set; }
    /// <summary>When the planner wants the next poll (null when disabled).</summary>
    public DateTime? NextFetch { get; set; }
    /// <summary>The interval the planner settled on at the last successful poll (seconds).</summary>
    public int IntervalSeconds { get; set; }
    /// <summary>Why that time: posting rate, Retry-After, backoff…</summary>
    public string? PlanReason { get; set; }
    /// <summary>The feed's address after a permanent redirect (301/308) that led to a successful fetch.</summary>
    public string? MovedTo { get; set; }
    /// <summary>How items are identified: "guid", or "link" when the feed's GUIDs are empty or repeated for more than 5% of items.</summary>
    public string Identity { get; set; } = "guid";
    /// <summary>Why items are identified by link, when they are.</summary>
    public string? IdentityNote { get; set; }

    public FeedStateRecord Clone() => (FeedStateRecord)MemberwiseClone();
}

public static class FeedStatus
{
    public const string Pending = "pending";
    public const string Ok = "ok";
    public const string NotModified = "not-modified";
    public const string Failing = "failing";
    public const string Disabled = "disabled";
}

public enum SplitOutcome { Split, NoStory, NoSource, OnlySource }

/// <summary>What a split did: the story the source left, and the story it became.</summary>
public sealed record SplitResult(SplitOutcome Outcome, StoryRecord? From, StoryRecord? To);

/// <summary>A verified backup: where, how big, and how many stories the copy holds.</summary>
public sealed record BackupResult(string Path, long Bytes, int Stories);

/// <summary>What a site's recent articles taught us: their short paragraphs' fingerprints, and the lines learned as boilerplate.</summary>
public sealed class SiteProfileRecord
{
    /// <summary>The site's host, without www.</summary>
    public string Id { get; set; } = "";
    /// <summary>The site's last articles (newest last), at most <c>LearnedBoilerplate.Window</c>.</summary>
    public List<SiteArticleRecord> Recent { get; set; } = [];
    public List<LearnedLineRecord> Learned { get; set; } = [];
    public DateTime Updated { get; set; }
}

public sealed class SiteArticleRecord
{
    public string Url { get; set; } = "";
    public List<long> Paragraphs { get; set; } = [];
    public DateTime Seen { get; set; }
}

/// <summary>A paragraph found in enough of a site's recent articles to be its boilerplate.</summary>
public sealed class LearnedLineRecord
{
    public long Fingerprint { get; set; }
    public string Text { get; set; } = "";
    /// <summary>In how many of the site's recent articles it appears.</summary>
    public int Articles { get; set; }
    public DateTime Since { get; set; }
}
