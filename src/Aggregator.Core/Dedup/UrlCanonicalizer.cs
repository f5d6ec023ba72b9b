using System.Text;

namespace Aggregator.Core.Dedup;

/// <summary>
/// Reduces the many spellings of one article URL to one: scheme and host case, <c>www.</c> and
/// <c>amp.</c> hosts, default ports, fragments, tracking parameters, AMP paths, trailing slashes.
/// </summary>
public static class UrlCanonicalizer
{
    private static readonly HashSet<string> TrackingParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        "fbclid", "gclid", "dclid", "gclsrc", "msclkid", "mc_cid", "mc_eid", "yclid", "igshid", "_ga", "_gl", "ref", "ref_src",
        "ref_url", "referrer", "cmpid", "cmp", "ncid", "ocid", "sr_share", "smid", "smtyp", "partner", "ito", "at_medium",
        "at_campaign", "at_custom1", "at_custom2", "at_custom3", "at_custom4", "rss", "feedtype", "xtor", "mbid", "amp",
        "outputtype", "spm", "share", "s_cid", "wt.mc_id", "cid", "soc_src", "soc_trk",
    };

    public static string? Canonicalize(string? url)
    {
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri)) return null;
        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) return null;
        var host = uri.IdnHost.ToLowerInvariant().TrimEnd('.');
        foreach (var prefix in (string[])["www.", "amp.", "m."])
            if (host.StartsWith(prefix, StringComparison.Ordinal) && host.Count(c => c == '.') > 1) host = host[prefix.Length..];
        var path = CanonicalPath(uri.AbsolutePath);
        var query = CanonicalQuery(uri.Query);
        // Scheme is dropped: http and https copies of a page are the same article.
        return $"{host}{(uri.IsDefaultPort ? "" : ":" + uri.Port)}{path}{query}";
    }

    /// <summary>
    /// The URL as a reader should see it: tracking parameters and fragment removed, everything else
    /// kept. Anything but an absolute http(s) URL (javascript:, data:, file:, relative junk) is dropped.
    /// </summary>
    public static string? WithoutTracking(string? url)
    {
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri)) return null;
        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) return null;
        var query = uri.Query.Length <= 1 ? "" : string.Join('&', uri.Query[1..].Split('&', StringSplitOptions.RemoveEmptyEntries).Where(p => !IsTracking(p.Split('=')[0])));
        return new UriBuilder(uri) { Query = query, Fragment = "" }.Uri.ToString();
    }

    private static string CanonicalPath(string path)
    {
        foreach (var suffix in (string[])["/amp/", "/amp", ".amp", "/amp.html"])
            if (path.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                path = path[..^suffix.Length] + (suffix == "/amp.html" ? ".html" : "");
                break;
            }
        if (path.StartsWith("/amp/", StringComparison.OrdinalIgnoreCase)) path = path[4..];
        path = path.TrimEnd('/');
        return path.Length == 0 ? "/" : path;
    }

    private static string CanonicalQuery(string query)
    {
        if (query.Length <= 1) return "";
        var kept = query[1..].Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !IsTracking(p.Split('=')[0]))
            .Order(StringComparer.Ordinal).ToList();
        return kept.Count == 0 ? "" : "?" + string.Join('&', kept);
    }

    private static bool IsTracking(string name) =>
        name.StartsWith("utm_", StringComparison.OrdinalIgnoreCase) || name.StartsWith("__", StringComparison.Ordinal)
        || TrackingParameters.Contains(name);
}
