using System.Globalization;
using System.Net;
using System.Text;

namespace Aggregator.Benchmarks;

/// <summary>
/// A deterministic synthetic news corpus, generated on request (nothing is held in memory):
/// <c>feeds</c> RSS feeds of <c>itemsPerFeed</c> items; a share of items repeat another feed's story,
/// half through the same URL with tracking parameters (caught before the page fetch) and half as
/// the same text under another URL and headline (caught by the text fingerprint).
/// </summary>
internal sealed class Corpus(int feeds, int itemsPerFeed, double duplicateShare)
{
    private static readonly string[] Words = BuildVocabulary();
    // Stories are a minute apart, ending now: the newest week falls inside the near-duplicate window.
    private readonly DateTime _epoch = DateTime.UtcNow.AddMinutes(-feeds * itemsPerFeed);

    public int Feeds => feeds;
    public int TotalItems => feeds * itemsPerFeed;

    /// <summary>The story an item tells, and whether it is a copy (and which kind).</summary>
    private (int Story, int Kind) StoryOf(int feed, int item)
    {
        var rng = new Random(feed * 100_003 + item);
        if (feed == 0 || rng.NextDouble() >= duplicateShare) return (feed * itemsPerFeed + item, 0);
        var original = rng.Next(0, feed) * itemsPerFeed + rng.Next(itemsPerFeed);
        return (original, rng.Next(2) + 1); // 1 = same URL with tracking, 2 = same text elsewhere
    }

    public string Feed(int feed, string baseUrl)
    {
        var xml = new StringBuilder(itemsPerFeed * 600);
        xml.Append("<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>Outlet ").Append(feed)
           .Append("</title><link>").Append(baseUrl).Append("/</link><description>Synthetic outlet</description>");
        for (var item = 0; item < itemsPerFeed; item++)
        {
            var (story, kind) = StoryOf(feed, item);
            var link = kind switch
            {
                1 => $"{baseUrl}/a/{story}?utm_source=outlet{feed}&amp;utm_medium=rss",
                2 => $"{baseUrl}/copy/{feed}/{story}",
                _ => $"{baseUrl}/a/{story}",
            };
            var published = _epoch.AddMinutes(story).ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);
            xml.Append("<item><title>").Append(WebUtility.HtmlEncode(Title(story, kind == 2 ? feed : -1))).Append("</title><link>").Append(link)
               .Append("</link><guid isPermaLink=\"false\">o").Append(feed).Append('-').Append(item).Append("</guid><pubDate>").Append(published)
               .Append("</pubDate><description>").Append(WebUtility.HtmlEncode(Paragraphs(story)[0])).Append("</description></item>");
        }
        return xml.Append("</channel></rss>").ToString();
    }

    /// <summary>An article page in a typical news theme: navigation, share bar, body, related links, comments, footer.</summary>
    public string Page(int story, int? copyFeed)
    {
        var html = new StringBuilder(12_000);
        var title = WebUtility.HtmlEncode(Title(story, copyFeed ?? -1));
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(title).Append(" | Outlet</title>")
            .Append("<meta property=\"og:title\" content=\"").Append(title).Append("\"><script>var ads=[];</script><style>.x{}</style></head><body>")
            .Append("<header class=\"site-header\"><nav><a href=\"/\">Home</a> <a href=\"/world\">World</a> <a href=\"/sport\">Sport</a></nav></header>")
            .Append("<main><article><h1>").Append(title).Append("</h1><div class=\"share-bar\"><a href=\"#\">Share</a> <a href=\"#\">Tweet</a></div><div class=\"entry-content\">");
        var paragraphs = Paragraphs(story);
        for (var i = 0; i < paragraphs.Count; i++)
        {
            html.Append("<p>").Append(WebUtility.HtmlEncode(paragraphs[i])).Append("</p>");
            if (i == 2) html.Append("<p><em>For the latest headlines, follow our Google News channel online or via the app.</em></p>");
        }
        html.Append("<p><strong>Read more:</strong></p><p><a href=\"/a/1\">").Append(Title(story + 1, -1)).Append("</a></p></div>")
            .Append("<div id=\"comments\"><h3>Leave a Reply</h3><form><textarea></textarea></form></div></article></main>")
            .Append("<aside class=\"trending\"><h2>Trending</h2><ul><li><a href=\"/a/2\">Another story</a></li></ul></aside>")
            .Append("<footer><p>© Outlet. All rights reserved.</p></footer></body></html>");
        return html.ToString();
    }

    private static string Title(int story, int copyFeed)
    {
        var rng = new Random(story * 7 + 1);
        var words = Enumerable.Range(0, rng.Next(6, 11)).Select(_ => Words[rng.Next(Words.Length)]);
        var title = string.Join(' ', words);
        return copyFeed < 0 ? char.ToUpperInvariant(title[0]) + title[1..] : $"Wire: {title} (outlet {copyFeed})";
    }

    private static List<string> Paragraphs(int story)
    {
        var rng = new Random(story * 13 + 5);
        var list = new List<string>();
        for (var p = rng.Next(6, 11); p > 0; p--)
        {
            var sentence = string.Join(' ', Enumerable.Range(0, rng.Next(25, 50)).Select(_ => Words[rng.Next(Words.Length)]));
            list.Add(char.ToUpperInvariant(sentence[0]) + sentence[1..] + ", officials said.");
        }
        return list;
    }

    private static string[] BuildVocabulary()
    {
        var rng = new Random(42);
        const string letters = "etaoinshrdlucmfwypvbgkqjxz";
        // Words of realistic length with English-like letter frequencies; sentences draw them uniformly,
        // so unrelated stories share about as few word triples as real ones do.
        return Enumerable.Range(0, 20_000).Select(_ => new string(Enumerable.Range(0, rng.Next(2, 10)).Select(_ => letters[(int)Math.Min(25, rng.NextDouble() * rng.NextDouble() * 26)]).ToArray())).Distinct().ToArray();
    }
}
