using System.Globalization;
using Microsoft.Net.Http.Headers;

namespace Aggregator.Api;

/// <summary>Conditional GET for rendered outputs: the validators rendered with the bytes, short public caching.</summary>
internal static class Conditional
{
    /// <summary>Endpoint metadata: the endpoint sends its own validators, so <see cref="ConditionalJson"/> leaves it alone.</summary>
    public sealed class SelfValidating
    {
        public static readonly SelfValidating Instance = new();
    }

    public static IResult Send(HttpContext context, Rendered output, int maxAgeSeconds = 60)
    {
        var headers = context.Response.Headers;
        headers.ETag = output.ETag;
        if (output.LastModifiedText is not null) headers.LastModified = output.LastModifiedText;
        headers.CacheControl = maxAgeSeconds == 60 ? "public, max-age=60" : $"public, max-age={maxAgeSeconds}";
        return IsNotModified(context.Request, output)
            ? Results.StatusCode(StatusCodes.Status304NotModified)
            : Results.Bytes(output.Body, output.ContentType);
    }

    /// <summary>RFC 9110 §13.2.2: If-None-Match wins; If-Modified-Since is only consulted without it.</summary>
    private static bool IsNotModified(HttpRequest request, Rendered output)
    {
        var ifNoneMatch = request.Headers.IfNoneMatch;
        if (ifNoneMatch.Count > 0) return Matches(ifNoneMatch, output.ETag);
        var ifModifiedSince = request.Headers.IfModifiedSince;
        return output.LastModified is { } lastModified && ifModifiedSince.Count > 0
               && DateTimeOffset.TryParse(ifModifiedSince, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since)
               && lastModified <= since.UtcDateTime;
    }

    public static bool Matches(Microsoft.Extensions.Primitives.StringValues ifNoneMatch, string etag) =>
        EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags) && tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Tag == etag);
}
