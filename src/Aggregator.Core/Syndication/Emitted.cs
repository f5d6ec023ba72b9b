namespace Aggregator.Core.Syndication;

/// <summary>
/// The one rule for every URL and date we hand out (JSON API, feeds, reading pages): a URL is
/// absolute http(s) or nothing — a <c>javascript:</c> og:image or enclosure never reaches an
/// <c>&lt;img src&gt;</c> — and a date in the future says nothing, the same clamp stories get at ingest.
/// </summary>
public static class Emitted
{
    /// <summary><paramref name="url"/> when it is an absolute http or https URL with a host; otherwise null.</summary>
    public static string? Url(string? url)
    {
        if (string.IsNullOrWhiteSpace(url)) return null;
        var trimmed = url.Trim();
        return Uri.TryCreate(trimmed, UriKind.Absolute, out var parsed)
               && (parsed.Scheme == Uri.UriSchemeHttp || parsed.Scheme == Uri.UriSchemeHttps)
               && parsed.Host.Length > 0 && !trimmed.Any(char.IsControl)
            ? trimmed
            : null;
    }

    /// <summary>A date that is not in the future; a later one (year 9999 included) is unknown.</summary>
    public static DateTime? Time(DateTime? value, DateTime now) => value <= now ? value : null;

    /// <summary>A date that must be given: no later than now.</summary>
    public static DateTime Time(DateTime value, DateTime now) => value <= now ? value : now;
}
