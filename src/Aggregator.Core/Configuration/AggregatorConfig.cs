namespace Aggregator.Core.Configuration;

/// <summary>The whole of <c>feeds.json</c>, validated, with every default filled in.</summary>
public sealed record AggregatorConfig(
    StorageOptions Storage,
    HttpOptions Http,
    ScheduleOptions Schedule,
    OutputOptions Output,
    ApiOptions Api,
    IReadOnlyList<FeedConfig> Feeds)
{
    /// <summary>How long stories are kept (defaults: 30 days, 100,000 stories).</summary>
    public RetentionOptions Retention { get; init; } = RetentionOptions.Default;

    /// <summary><c>webhooks</c>: downstream apps notified of story events (see WebhookConfig.cs).</summary>
    public IReadOnlyList<WebhookConfig> Webhooks { get; init; } = [];

    /// <summary><c>events</c>: the outbox's retention and the live stream's limits.</summary>
    public EventOptions Events { get; init; } = EventOptions.Default;

    /// <summary><c>filters</c>: block/keep rules for every feed (see <see cref="FilterRules"/>).</summary>
    public FilterRules Filters { get; init; } = FilterRules.None;

    /// <summary>The distinct categories, in the order feeds first name them.</summary>
    public IReadOnlyList<string> Categories => Feeds.Select(f => f.Category).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    public FeedConfig? FindFeed(string id) => Feeds.FirstOrDefault(f => f.Id == id);

    public TimeSpan IntervalOf(FeedConfig feed) => feed.Interval ?? Schedule.DefaultInterval;
}

/// <summary>
/// Which engine keeps the stories: a LiteDB file (<see cref="Path"/>, default) or a PostgreSQL
/// database shared by every node (<see cref="ConnectionString"/>); and the one folder backups may be
/// written to (paths absolute once loaded).
/// </summary>
public sealed record StorageOptions(string Path)
{
    public const string LiteDb = "litedb";
    public const string Postgres = "postgres";

    /// <summary><c>storage.backupDir</c>: POST /api/backup and <c>aggregator backup</c> write only here. Default: the database's folder.</summary>
    public string BackupDir { get; init; } = System.IO.Path.GetDirectoryName(Path) ?? ".";

    /// <summary><c>storage.provider</c>: "litedb" (default) or "postgres".</summary>
    public string Provider { get; init; } = LiteDb;

    /// <summary><c>storage.connectionString</c>: the PostgreSQL database (required for "postgres"); never logged.</summary>
    public string? ConnectionString { get; init; }

    /// <summary><c>storage.nodeId</c> (or AGGREGATOR_NODE_ID; default the machine's name): this process among the cluster's nodes.</summary>
    public string NodeId { get; init; } = Environment.MachineName;

    public bool IsPostgres => Provider == Postgres;

    public override string ToString() =>
        $"StorageOptions {{ Provider = {Provider}, Path = {Path}, NodeId = {NodeId}, ConnectionString = {(ConnectionString is null ? "none" : "(set, redacted)")} }}";
}

/// <summary>
/// Limits and identity for every outgoing request. <see cref="AllowPrivateNetworks"/> opens every
/// private and reserved range; <see cref="AllowLoopback"/> opens only 127.0.0.0/8 and ::1 (demo, tests).
/// </summary>
public sealed record HttpOptions(string UserAgent, TimeSpan Timeout, long MaxResponseBytes, bool AllowPrivateNetworks, bool AllowLoopback = false,
    int MaxConnectionsPerHost = 2)
{
    public static HttpOptions Default { get; } = new(
        "Aggregator/1.0 (+https://github.com/aggregator)", TimeSpan.FromSeconds(20), 10 * 1024 * 1024, false);

    public bool Allows(System.Net.IPAddress address) =>
        AllowPrivateNetworks || !Fetching.AddressPolicy.IsBlocked(address, AllowLoopback);
}

/// <summary>How often feeds are polled and how many fetches may run at once.</summary>
public sealed record ScheduleOptions(TimeSpan DefaultInterval, int MaxConcurrentFetches)
{
    /// <summary>
    /// <c>schedule.checkinInterval</c> (PostgreSQL only): how often a node tells the cluster it is alive. A node
    /// silent for this plus twice this (at least 15 s) is taken for dead and its running polls are recovered by another node.
    /// </summary>
    public TimeSpan CheckinInterval { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>What the regenerated feeds call themselves and where they are published.</summary>
public sealed record OutputOptions(string Title, Uri PublicUrl, int MaxItems);

/// <summary>
/// Stories older than <see cref="Days"/> (by published time) or beyond the newest <see cref="MaxStories"/>
/// are deleted; their keys stay as tombstones for <see cref="TombstoneDays"/>, so items still listed by
/// their feeds do not come back.
/// </summary>
public sealed record RetentionOptions(int Days, int MaxStories, int TombstoneDays = 180)
{
    public static RetentionOptions Default { get; } = new(30, 100_000);
}

/// <summary>Operator access: when a key is set, operator routes require it. The key never appears in logs or ToString.</summary>
public sealed record ApiOptions(string? Key)
{
    public override string ToString() => $"ApiOptions {{ Key = {(Key is null ? "none" : "(set, redacted)")} }}";
}

/// <summary>One feed an operator subscribed to.</summary>
public sealed record FeedConfig(
    string Id,
    Uri Url,
    string Category,
    string? Title,
    TimeSpan? Interval,
    bool FullText,
    SiteRules? Site)
{
    /// <summary>Among a story's sources, the one from the feed with the highest priority represents it (then the earliest). Default 0.</summary>
    public int Priority { get; init; }

    /// <summary><c>feeds[].filters</c>: this feed's block/keep rules, applied with the top-level ones.</summary>
    public FilterRules? Filters { get; init; }

    /// <summary><c>feeds[].http</c>: user agent, headers, basic auth and cookie for this feed's site.</summary>
    public FeedHttpOptions? Http { get; init; }
}

/// <summary>Per-site extraction rules: body selector, selectors to strip, phrases or /regexes/ to drop.</summary>
public sealed record SiteRules(string? Body, IReadOnlyList<string> Strip, IReadOnlyList<string> StripText)
{
    public static SiteRules None { get; } = new(null, [], []);
}

/// <summary>Finds the site rules that apply to an article page: those of a feed on the same site.</summary>
public static class SiteRulesLookup
{
    public static SiteRules? SiteRulesFor(this AggregatorConfig config, Uri page)
    {
        var host = Bare(page.Host);
        return config.Feeds.Where(f => f.Site is not null)
            .FirstOrDefault(f => Bare(f.Url.Host) == host || host.EndsWith("." + Bare(f.Url.Host), StringComparison.Ordinal))?.Site;
    }

    private static string Bare(string host) =>
        host.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? host[4..].ToLowerInvariant() : host.ToLowerInvariant();
}
