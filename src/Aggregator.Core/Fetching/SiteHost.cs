using System.Net;

namespace Aggregator.Core.Fetching;

/// <summary>
/// Which hosts count as one site for a feed's own HTTP settings: the same registrable domain
/// (<c>feeds.example.org</c> and <c>www.example.org</c>), approximating the public suffix list with
/// its common shapes — two labels, three under a second-level country domain (<c>bbc.co.uk</c>),
/// one more under a shared hosting domain (<c>alice.github.io</c> is not <c>bob.github.io</c>).
/// An IP address is only ever the same site as itself.
/// </summary>
public static class SiteHost
{
    private static readonly HashSet<string> SecondLevel = new(StringComparer.Ordinal)
        { "co", "com", "net", "org", "gov", "ac", "edu", "ne", "or", "go", "gob", "mil", "nic", "ltd", "plc", "sch", "gv", "nhs" };

    /// <summary>Domains under which every subdomain belongs to someone else (a short list from the public suffix list's private section).</summary>
    private static readonly HashSet<string> SharedHosting = new(StringComparer.Ordinal)
    {
        "github.io", "gitlab.io", "blogspot.com", "wordpress.com", "substack.com", "tumblr.com", "medium.com", "netlify.app",
        "vercel.app", "pages.dev", "herokuapp.com", "appspot.com", "azurewebsites.net", "cloudfront.net", "web.app", "firebaseapp.com",
        "wixsite.com", "weebly.com", "squarespace.com", "ghost.io", "neocities.org", "s3.amazonaws.com",
    };

    public static bool SameSite(Uri a, Uri b) => Registrable(a.IdnHost) == Registrable(b.IdnHost);

    public static string Registrable(string host)
    {
        host = host.TrimEnd('.').ToLowerInvariant();
        if (IPAddress.TryParse(host.Trim('[', ']'), out _)) return host;
        var labels = host.Split('.');
        if (labels.Length <= 2) return host;
        var take = labels[^1].Length == 2 && SecondLevel.Contains(labels[^2]) ? 3 : 2;
        // Under a shared domain of n labels, the owner's site is one label more.
        for (var n = 2; n <= 3 && n < labels.Length; n++)
            if (SharedHosting.Contains(string.Join('.', labels[^n..]))) take = n + 1;
        return string.Join('.', labels[^Math.Min(take, labels.Length)..]);
    }
}
