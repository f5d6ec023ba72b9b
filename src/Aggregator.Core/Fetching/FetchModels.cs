namespace Aggregator.Core.Fetching;

/// <summary>A GET to make, with the validators of the previous response (sent back exactly as received).</summary>
public sealed record FetchRequest(Uri Url, string? ETag = null, string? LastModified = null, string Accept = "*/*")
{
    /// <summary>The feed's own HTTP settings, sent on every hop to the feed's site and on no other.</summary>
    public SiteHttp? Site { get; init; }
}

/// <summary>A feed's <see cref="Configuration.FeedHttpOptions"/> and the address whose site they belong to (<see cref="SiteHost"/>).</summary>
public sealed record SiteHttp(Uri Home, Configuration.FeedHttpOptions Options)
{
    public static SiteHttp? For(Configuration.FeedConfig feed) => feed.Http is { } options ? new SiteHttp(feed.Url, options) : null;

    /// <summary>The settings for a request to <paramref name="url"/>: the feed's on its own site, none elsewhere.</summary>
    public Configuration.FeedHttpOptions? For(Uri url) => SiteHost.SameSite(url, Home) ? Options : null;
}

/// <summary>What came back: a body, "not modified", or a classified failure.</summary>
public sealed record FetchResponse(
    FetchOutcome Outcome,
    Uri FinalUrl,
    int StatusCode,
    byte[] Body,
    string? ContentType,
    string? ETag,
    string? LastModified,
    FetchError? Error)
{
    /// <summary>RFC 9111 §4.2: until when the response is fresh (Cache-Control max-age, else Expires).</summary>
    public DateTimeOffset? FreshUntil { get; init; }

    /// <summary>RFC 9110 §10.2.3: when a 429/503 asked us to come back.</summary>
    public DateTimeOffset? RetryAfter { get; init; }

    /// <summary>The Content-Language header: the feed's language when the feed names none.</summary>
    public string? ContentLanguage { get; init; }

    /// <summary>Set when every redirect followed was permanent (301/308): the feed's new address.</summary>
    public Uri? MovedPermanentlyTo { get; init; }

    public static FetchResponse Failed(Uri url, FetchError error, int status = 0) =>
        new(FetchOutcome.Failed, url, status, [], null, null, null, error);
}

public enum FetchOutcome { Ok, NotModified, Failed }

/// <summary>A failure with a stable class (for health and metrics) and a human message.</summary>
public sealed record FetchError(string Class, string Message)
{
    public const string Timeout = "timeout";
    public const string TooLarge = "too-large";
    public const string BlockedAddress = "blocked-address";
    public const string BadScheme = "bad-scheme";
    public const string TooManyRedirects = "too-many-redirects";
    public const string Network = "network";
    public const string RateLimited = "rate-limited";
    public const string Gone = "gone";

    public static FetchError ForStatus(int status) => status switch
    {
        429 => new(RateLimited, "fetch: HTTP 429 Too Many Requests"),
        410 => new(Gone, "fetch: HTTP 410 Gone (the publisher removed this feed)"),
        >= 500 => new("http-5xx", $"fetch: HTTP {status}"),
        _ => new("http-4xx", $"fetch: HTTP {status}"),
    };

    public override string ToString() => Message;
}
