using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace Aggregator.Api;

/// <summary>Conditional GET for generated outputs: strong ETag over the bytes, Last-Modified, short public caching.</summary>
internal static class Conditional
{
    public static IResult Send(HttpContext context, byte[] body, string contentType, DateTime lastModified, int maxAgeSeconds = 60)
    {
        var etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(body))[..32]}\"";
        lastModified = new DateTime(lastModified.Ticks - lastModified.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
        var headers = context.Response.Headers;
        headers.ETag = etag;
        headers.LastModified = lastModified.ToString("R", CultureInfo.InvariantCulture);
        headers.CacheControl = $"public, max-age={maxAgeSeconds}";
        return IsNotModified(context.Request, etag, lastModified)
            ? Results.StatusCode(StatusCodes.Status304NotModified)
            : Results.Bytes(body, contentType);
    }

    /// <summary>RFC 9110 §13.2.2: If-None-Match wins; If-Modified-Since is only consulted without it.</summary>
    private static bool IsNotModified(HttpRequest request, string etag, DateTime lastModified)
    {
        var ifNoneMatch = request.Headers.IfNoneMatch;
        if (ifNoneMatch.Count > 0)
            return EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags)
                   && tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Tag == etag);
        return DateTimeOffset.TryParse(request.Headers.IfModifiedSince, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since)
               && lastModified <= since.UtcDateTime;
    }
}
