namespace Aggregator.Core.Fetching;

/// <summary>A GET to make, with the validators of the previous response (sent back exactly as received).</summary>
public sealed record FetchRequest(Uri Url, string? ETag = null, string? LastModified = null, string Accept = "*/*");

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

    public static FetchError ForStatus(int status) =>
        new(status >= 500 ? "http-5xx" : "http-4xx", $"fetch: HTTP {status}");

    public override string ToString() => Message;
}
