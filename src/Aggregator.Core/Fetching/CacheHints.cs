using System.Globalization;
using System.Net.Http;

namespace Aggregator.Core.Fetching;

/// <summary>What a response says about when to ask again.</summary>
internal static class CacheHints
{
    private static readonly TimeSpan MaxHint = TimeSpan.FromDays(7);

    /// <summary>RFC 9111 §4.2.1: max-age wins over Expires; no-cache/no-store mean "no hint".</summary>
    public static DateTimeOffset? FreshUntil(HttpResponseMessage response, DateTimeOffset now)
    {
        var control = response.Headers.CacheControl;
        if (control is { NoCache: true } or { NoStore: true }) return null;
        if (control?.MaxAge is { } maxAge) return now + Bounded(maxAge);
        if (response.Content.Headers.Expires is { } expires)
        {
            // Expires is relative to the server's clock (Date header), not ours (RFC 9111 §4.2.1).
            var served = response.Headers.Date ?? now;
            var lifetime = expires - served;
            return lifetime > TimeSpan.Zero ? now + Bounded(lifetime) : null;
        }
        return null;
    }

    /// <summary>RFC 9110 §10.2.3: Retry-After is either seconds or an HTTP date.</summary>
    public static DateTimeOffset? RetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        if (response.Headers.RetryAfter is not { } retry)
        {
            // A malformed header is not parsed into RetryAfter; read the raw value as seconds.
            return response.Headers.TryGetValues("Retry-After", out var raw)
                   && int.TryParse(raw.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? now + Bounded(TimeSpan.FromSeconds(s)) : null;
        }
        if (retry.Delta is { } delta) return now + Bounded(delta);
        if (retry.Date is { } date) return date > now ? now + Bounded(date - now) : now;
        return null;
    }

    private static TimeSpan Bounded(TimeSpan span) => span < TimeSpan.Zero ? TimeSpan.Zero : span > MaxHint ? MaxHint : span;
}
