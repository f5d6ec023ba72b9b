using System.Text;
using System.Web;

namespace Aggregator.Core.Dedup;

/// <summary>
/// Links that only redirect to the article (news aggregators, social networks, mail trackers) are
/// replaced by the address they wrap when it is written in the link itself: a query parameter
/// (<c>news.google.com/url?url=</c>, <c>google.com/url?q=</c>, <c>l.facebook.com/l.php?u=</c>, …) or
/// the encoded payload of a Google News <c>/rss/articles/CBMi…</c> link. Wrappers that hide the
/// target (FeedBurner's <c>feedproxy</c>, short links) are unwrapped by the article fetch instead:
/// its final URL and the page's canonical URL join the story's keys.
/// </summary>
public static class RedirectWrappers
{
    private static readonly (string Host, string Path, string Parameter)[] QueryWrappers =
    [
        ("news.google.com", "/url", "url"),
        ("news.google.com", "/news/url", "url"),
        ("google.com", "/url", "url"),
        ("google.com", "/url", "q"),
        ("l.facebook.com", "/l.php", "u"),
        ("lm.facebook.com", "/l.php", "u"),
        ("out.reddit.com", "/", "url"),
        ("t.umblr.com", "/redirect", "z"),
        ("href.li", "/", ""),
        ("bing.com", "/news/apiclick.aspx", "url"),
        ("news.yahoo.com", "/", "url"),
        ("flipboard.com", "/redirect", "url"),
        ("smartnews.com", "/", "url"),
        ("feeds.feedblitz.com", "/", "url"),
    ];

    /// <summary>The wrapped address, or <paramref name="url"/> unchanged. Unwraps nested wrappers (at most 3 levels).</summary>
    public static string? Unwrap(string? url)
    {
        for (var depth = 0; depth < 3 && url is not null; depth++)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) return url;
            var inner = FromQuery(uri) ?? FromGoogleNewsArticle(uri);
            if (inner is null) return url;
            url = inner;
        }
        return url;
    }

    private static string? FromQuery(Uri uri)
    {
        var host = uri.Host.ToLowerInvariant();
        if (host.StartsWith("www.", StringComparison.Ordinal)) host = host[4..];
        foreach (var (wrapperHost, path, parameter) in QueryWrappers)
        {
            if (host != wrapperHost || !uri.AbsolutePath.StartsWith(path, StringComparison.OrdinalIgnoreCase)) continue;
            var target = parameter.Length == 0 ? Uri.UnescapeDataString(uri.Query.TrimStart('?')) : HttpUtility.ParseQueryString(uri.Query)[parameter];
            if (IsHttp(target)) return target;
        }
        return null;
    }

    /// <summary>
    /// <c>news.google.com/rss/articles/{base64url}</c>: the payload is a small protobuf whose string
    /// field holds the article URL (older links); newer, opaque payloads are left to the article fetch.
    /// </summary>
    private static string? FromGoogleNewsArticle(Uri uri)
    {
        if (!uri.Host.Equals("news.google.com", StringComparison.OrdinalIgnoreCase)) return null;
        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var at = Array.FindIndex(segments, s => s == "articles");
        if (at < 0 || at + 1 >= segments.Length) return null;
        var payload = segments[at + 1];
        if (payload.Length > 4096) return null;
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(Padded(payload.Replace('-', '+').Replace('_', '/')));
        }
        catch (FormatException)
        {
            return null;
        }
        var start = bytes.AsSpan().IndexOf("http"u8);
        if (start < 1) return null;
        // The byte before the URL is its length when it fits one varint byte; otherwise read printable ASCII.
        var declared = bytes[start - 1];
        var end = declared < 0x80 && start + declared <= bytes.Length ? start + declared : start;
        if (end == start) while (end < bytes.Length && bytes[end] is > 0x20 and < 0x7f) end++;
        var target = Encoding.ASCII.GetString(bytes, start, end - start);
        return IsHttp(target) ? target : null;
    }

    private static string Padded(string base64) => base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=');

    private static bool IsHttp(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var target) && (target.Scheme == Uri.UriSchemeHttp || target.Scheme == Uri.UriSchemeHttps);
}
