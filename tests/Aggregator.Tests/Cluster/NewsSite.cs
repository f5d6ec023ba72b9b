using System.Collections.Concurrent;
using System.Net;
using Aggregator.Tests.Dedup;
using Aggregator.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace Aggregator.Tests.Cluster;

/// <summary>
/// A loopback news site of <see cref="Feeds"/> outlets: outlet i carries articles i, i+1 and i+2
/// (mod the count), each under its own URL and headline with lightly edited wire text, so every article
/// reaches three feeds. Every feed request is logged with its arrival time.
/// </summary>
internal sealed class NewsSite : IAsyncDisposable
{
    public const int Feeds = 30;
    public const int ArticlesPerFeed = 3;
    private readonly LoopbackServer _server;
    private readonly string[] _texts;

    /// <summary>Feed id → the times its feed document was requested.</summary>
    public ConcurrentDictionary<string, ConcurrentQueue<DateTimeOffset>> Polls { get; } = new();

    private NewsSite(LoopbackServer server, string[] texts)
    {
        _server = server;
        _texts = texts;
    }

    public static string FeedId(int outlet) => $"outlet{outlet:00}";

    public Uri FeedUrl(int outlet) => _server.Url($"/{FeedId(outlet)}.xml");

    /// <summary>The article an item's link names (every item is one of <see cref="Feeds"/> articles).</summary>
    public static int ArticleOf(string link) => int.Parse(link[(link.LastIndexOf("/a", StringComparison.Ordinal) + 2)..^5], System.Globalization.CultureInfo.InvariantCulture);

    public static IEnumerable<int> ArticlesOf(int outlet) => Enumerable.Range(outlet, ArticlesPerFeed).Select(j => j % Feeds);

    public static async Task<NewsSite> StartAsync(DateTimeOffset now)
    {
        var server = await LoopbackServer.StartAsync();
        var site = new NewsSite(server, Texts());
        for (var outlet = 0; outlet < Feeds; outlet++)
        {
            var id = FeedId(outlet);
            var log = site.Polls.GetOrAdd(id, _ => new ConcurrentQueue<DateTimeOffset>());
            var feed = site.Feed(outlet, now);
            server.Map($"/{id}.xml", async context =>
            {
                log.Enqueue(DateTimeOffset.UtcNow);
                context.Response.ContentType = "application/rss+xml";
                await context.Response.WriteAsync(feed);
            });
            foreach (var article in ArticlesOf(outlet)) server.MapText($"/{id}/a{article:00}.html", site.Page(outlet, article));
        }
        return site;
    }

    /// <summary>The wire text of each article.</summary>
    public static string[] Texts() =>
        WireCorpus.Generate(WireCorpus.Profile.Classic, Feeds, seed: 15, duplicateShare: 0, followUpShare: 0).Select(i => i.Text).ToArray();

    /// <summary>An outlet's wording of an article: the wire text as is, or every n-th word edited, further from the original outlet the more.</summary>
    public static string Text(string[] texts, int outlet, int article) =>
        ((article - outlet + Feeds) % Feeds) switch { 0 => texts[article], var k => NearDuplicateCalibrationTests.Edit(texts[article], 50 - 10 * k) };

    private string Feed(int outlet, DateTimeOffset now)
    {
        var items = ArticlesOf(outlet).Select(article =>
            $"<item><title>{Headline(outlet, article)}</title><link>{_server.Url($"/{FeedId(outlet)}/a{article:00}.html")}</link>" +
            $"<guid>{FeedId(outlet)}-{article}</guid><pubDate>{now.AddHours(-article - 1).ToString("R", System.Globalization.CultureInfo.InvariantCulture)}</pubDate></item>");
        return $"<rss version=\"2.0\"><channel><title>Outlet {outlet}</title><link>{_server.BaseUrl}</link>{string.Concat(items)}</channel></rss>";
    }

    /// <summary>The same article reworded by each outlet: another headline, every n-th word edited, the outlet's sign-off.</summary>
    private string Page(int outlet, int article)
    {
        var text = Text(_texts, outlet, article);
        var title = WebUtility.HtmlEncode(Headline(outlet, article));
        return $"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>" +
               string.Concat(text.Split("\n\n").Select(p => $"<p>{WebUtility.HtmlEncode(p)}</p>")) +
               $"<p>Reporting by the outlet {outlet} desk.</p></article></body></html>";
    }

    private static string Headline(int outlet, int article) => ((article - outlet + Feeds) % Feeds) switch
    {
        0 => $"Officials confirm plan number {article} after long talks",
        1 => $"Plan {article} confirmed, officials say",
        _ => $"After long talks, a deal on plan {article}",
    };

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();
}
