using System.Net;
using Aggregator.Core.Configuration;
using Aggregator.Core.Pipeline;
using Aggregator.Core.Storage;
using Aggregator.Tests.Dedup;
using Aggregator.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Aggregator.Tests.Pipeline;

/// <summary>
/// The identity rules of issue #5, end to end over loopback HTTP and a real store: broken and reused
/// GUIDs, tombstones, redirect wrappers, updated items, priority, and splits that stick.
/// </summary>
public sealed class StoryIdentityTests : IAsyncLifetime
{
    private LoopbackServer _server = null!;
    private readonly TempDirectory _dir = new();

    public async Task InitializeAsync() => _server = await LoopbackServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _dir.Dispose();
    }

    internal sealed record Item(string? Guid, string Link, string Title, string? Updated = null, string? Published = null, string? OrigLink = null);

    private static string Rss(params Item[] items) =>
        "<rss version=\"2.0\" xmlns:feedburner=\"http://rssnamespace.org/feedburner/ext/1.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\"><channel><title>T</title>" +
        string.Concat(items.Select(i =>
            $"<item><title>{WebUtility.HtmlEncode(i.Title)}</title><link>{WebUtility.HtmlEncode(i.Link)}</link>" +
            (i.Guid is null ? "" : $"<guid isPermaLink=\"false\">{i.Guid}</guid>") +
            (i.Published is null ? "" : $"<pubDate>{i.Published}</pubDate>") +
            (i.Updated is null ? "" : $"<atom:updated>{i.Updated}</atom:updated>") +
            (i.OrigLink is null ? "" : $"<feedburner:origLink>{WebUtility.HtmlEncode(i.OrigLink)}</feedburner:origLink>") + "</item>")) +
        "</channel></rss>";

    private static string Page(string title, string body) =>
        $"<html><head><title>{WebUtility.HtmlEncode(title)}</title></head><body><article><h1>{WebUtility.HtmlEncode(title)}</h1>" +
        string.Concat(body.Split("\n\n").Select(p => $"<p>{WebUtility.HtmlEncode(p)}</p>")) + "</article></body></html>";

    private static readonly string[] Words = ("minister council harbour river election court budget storm village market report police " +
        "school hospital bridge farmers union strike border talks energy prices workers ferry airport museum festival drought " +
        "flood coast mayor judge trial vote reform tax railway port fishermen grain wheat coffee tourism mine forest fire " +
        "rescue army navy treaty summit embassy protest rally crowd station road tunnel dam reservoir power grid solar wind " +
        "company shares bank loan debt inflation wages rent housing tenants landlords students teachers doctors nurses").Split(' ');

    /// <summary>A distinct article body of about 120 words (its own seeded word sequence).</summary>
    internal static string Body(int n)
    {
        var random = new Random(n);
        return string.Join("\n\n", Enumerable.Range(0, 4).Select(_ =>
            $"In story {n} " + string.Join(' ', Enumerable.Range(0, 30).Select(_ => Words[random.Next(Words.Length)])) + "."));
    }

    private (AggregatorConfig Config, StoryStore Store, Pipelines Pipelines) Open(params FeedConfig[] feeds)
    {
        var config = TestConfigs.For(_dir.File($"{Guid.NewGuid():N}.db"), feeds);
        var store = StoryStore.Open(config.Storage.Path, TimeProvider.System);
        return (config, store, new Pipelines(config, store));
    }

    private FeedConfig Feed(string id, int priority = 0) => TestConfigs.Feed(id, _server.Url($"/{id}.xml")) with { Priority = priority };

    private void Serve(string feed, params Item[] items) => _server.MapText($"/{feed}.xml", Rss(items), "application/rss+xml");

    private void Article(string path, int n, string? title = null) => _server.MapText(path, Page(title ?? $"Story {n}", Body(n)));

    [Fact]
    public async Task BrokenGuidsFallBackToLinksAndTheFeedStatusSaysSo()
    {
        // A CMS bug: every item carries the same GUID. Each link is still its own story.
        var items = Enumerable.Range(1, 6).Select(n => new Item("same-guid", _server.Url($"/p/{n}").ToString(), $"Story {n}")).ToArray();
        foreach (var n in Enumerable.Range(1, 6)) Article($"/p/{n}", n);
        Serve("broken", items);
        var (_, store, pipelines) = Open(Feed("broken"));
        using (store) using (pipelines)
        {
            var summary = await pipelines.Ingestor.IngestAsync(Feed("broken"), CancellationToken.None);
            Assert.Equal(6, summary.New);
            Assert.Equal(6, store.StoryCount);
            var state = store.GetFeedState("broken");
            Assert.Equal("link", state.Identity);
            Assert.Contains("5 repeating 1 GUID of 6 items", state.IdentityNote);

            // Polled again, nothing is new and nothing doubles.
            var again = await pipelines.Ingestor.IngestAsync(Feed("broken"), CancellationToken.None);
            Assert.Equal((0, 6), (again.New, again.Duplicate));
            Assert.Equal(6, store.StoryCount);
        }
    }

    [Fact]
    public async Task ARepeatedGuidWithDifferentLinksIsNotADuplicateButHealthyGuidsStayInUse()
    {
        // 30 items with good GUIDs, one of which is repeated for another link (3% < 5%).
        var items = Enumerable.Range(1, 30).Select(n => new Item($"g{n}", _server.Url($"/q/{n}").ToString(), $"Story {n}")).ToList();
        items.Add(new Item("g1", _server.Url("/q/31").ToString(), "Story 31"));
        foreach (var n in Enumerable.Range(1, 31)) Article($"/q/{n}", n);
        Serve("mostly", [.. items]);
        var (_, store, pipelines) = Open(Feed("mostly"));
        using (store) using (pipelines)
        {
            await pipelines.Ingestor.IngestAsync(Feed("mostly"), CancellationToken.None);
            Assert.Equal(31, store.StoryCount);
            Assert.Equal("guid", store.GetFeedState("mostly").Identity);
        }
    }

    [Fact]
    public async Task AGuidReusedLaterForAnotherLinkIsANewStory()
    {
        Article("/r/1", 1);
        Article("/r/2", 2);
        Serve("reuse", new Item("slot-1", _server.Url("/r/1").ToString(), "Story 1"));
        var (_, store, pipelines) = Open(Feed("reuse"));
        using (store) using (pipelines)
        {
            await pipelines.Ingestor.IngestAsync(Feed("reuse"), CancellationToken.None);
            Serve("reuse", new Item("slot-1", _server.Url("/r/2").ToString(), "Story 2"));
            var second = await pipelines.Ingestor.IngestAsync(Feed("reuse"), CancellationToken.None);
            Assert.Equal(1, second.New);
            Assert.Equal(["Story 1", "Story 2"], store.QueryStories(new StoryQuery(10)).Items.Select(s => s.Title).Order());
        }
    }

    [Fact]
    public async Task DeletedStoriesDoNotComeBackWhileTheFeedStillListsThem()
    {
        Article("/t/1", 1);
        Article("/t/2", 2);
        Serve("tomb", new Item("t1", _server.Url("/t/1").ToString(), "Story 1"), new Item("t2", _server.Url("/t/2").ToString(), "Story 2"));
        var (_, store, pipelines) = Open(Feed("tomb"));
        using (store) using (pipelines)
        {
            await pipelines.Ingestor.IngestAsync(Feed("tomb"), CancellationToken.None);
            var victim = store.QueryStories(new StoryQuery(10)).Items.Single(s => s.Title == "Story 1");
            Assert.Equal(1, await store.DeleteStoriesAsync([victim.Id], DateTime.UtcNow));
            Assert.Equal(1, store.CountStoriesByFeed()["tomb"]);

            var again = await pipelines.Ingestor.IngestAsync(Feed("tomb"), CancellationToken.None);
            Assert.Equal(0, again.New);
            Assert.Null(store.GetStory(victim.Id));
            Assert.Equal(1, store.StoryCount);

            // Once the tombstone is purged (long after the item left the feed), the keys are gone too.
            Assert.Equal(1, await store.PurgeTombstonesAsync(DateTime.UtcNow.AddMinutes(1)));
            Assert.Null(store.FindStory(Core.Dedup.StoryKeys.ForItem("tomb", new Core.Parsing.ParsedItem("t1", null, null, null, null, null, null, null, [], [], [], []))));
        }
    }

    [Fact]
    public async Task RedirectWrappersAndFeedBurnerLinksJoinTheDirectLink()
    {
        Article("/w/story", 7);
        // A FeedBurner-style proxy that redirects, with the original link in feedburner:origLink,
        _server.Map("/proxy/7", context =>
        {
            context.Response.Redirect(_server.Url("/w/story").ToString());
            return Task.CompletedTask;
        });
        // a short link that only its redirect resolves,
        _server.Map("/s/abc", context =>
        {
            context.Response.Redirect(_server.Url("/w/story").ToString());
            return Task.CompletedTask;
        });
        var direct = _server.Url("/w/story").ToString();
        Serve("origin", new Item("o-7", direct, "Story 7"));
        Serve("burner", new Item("b-7", _server.Url("/proxy/7").ToString(), "Story 7", OrigLink: direct));
        Serve("short", new Item("s-7", _server.Url("/s/abc").ToString(), "Story 7 (short link)"));
        // and a news aggregator's redirect link carrying the target in its query.
        Serve("aggregator", new Item("n-7", "https://news.google.com/url?url=" + Uri.EscapeDataString(direct), "Story 7 - Origin"));
        var feeds = new[] { Feed("origin"), Feed("burner"), Feed("short"), Feed("aggregator") };
        var (_, store, pipelines) = Open(feeds);
        using (store) using (pipelines)
        {
            foreach (var feed in feeds) await pipelines.Ingestor.IngestAsync(feed, CancellationToken.None);
            var story = Assert.Single(store.QueryStories(new StoryQuery(10)).Items);
            Assert.Equal(["aggregator", "burner", "origin", "short"], story.Sources.Select(s => s.FeedId).Order());
            Assert.Equal(direct, story.Sources.Single(s => s.FeedId == "burner").Url);
            Assert.Equal(direct, story.Sources.Single(s => s.FeedId == "aggregator").Url);
            Assert.Equal(0, _server.CountRequests("/proxy/"));
        }
    }

    [Fact]
    public async Task AnUpdatedItemUpdatesItsStoryAndNeverAddsOne()
    {
        Article("/u/1", 1);
        Serve("upd", new Item("u1", _server.Url("/u/1").ToString(), "First headline", Updated: "2026-05-01T10:00:00Z"));
        var (_, store, pipelines) = Open(Feed("upd"));
        using (store) using (pipelines)
        {
            await pipelines.Ingestor.IngestAsync(Feed("upd"), CancellationToken.None);
            var before = Assert.Single(store.QueryStories(new StoryQuery(10)).Items);
            Assert.Contains("story 1", before.Text);

            _server.MapText("/u/1", Page("Corrected headline", Body(1) + "\n\nCorrection: an earlier version misstated the figure as 31; it is 42."));
            Serve("upd", new Item("u1", _server.Url("/u/1").ToString(), "Corrected headline", Updated: "2026-05-01T12:00:00Z"));
            var summary = await pipelines.Ingestor.IngestAsync(Feed("upd"), CancellationToken.None);

            Assert.Equal((0, 1), (summary.New, summary.Updated));
            var after = Assert.Single(store.QueryStories(new StoryQuery(10)).Items);
            Assert.Equal(before.Id, after.Id);
            Assert.Equal("Corrected headline", after.Title);
            Assert.Contains("it is 42", after.Text);
            Assert.True(after.Updated > before.Updated);

            // The same item again changes nothing.
            var third = await pipelines.Ingestor.IngestAsync(Feed("upd"), CancellationToken.None);
            Assert.Equal((0, 0, 1), (third.New, third.Updated, third.Duplicate));
        }
    }

    [Fact]
    public async Task APageThatFailedIsFetchedAgainOnTheNextPoll()
    {
        var calls = 0;
        _server.Map("/f/1", async context =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                context.Response.StatusCode = 503;
                return;
            }
            context.Response.ContentType = "text/html";
            await context.Response.WriteAsync(Page("Story 1", Body(1)));
        });
        Serve("flaky", new Item("f1", _server.Url("/f/1").ToString(), "Story 1"));
        var (_, store, pipelines) = Open(Feed("flaky"));
        using (store) using (pipelines)
        {
            await pipelines.Ingestor.IngestAsync(Feed("flaky"), CancellationToken.None);
            Assert.True(string.IsNullOrEmpty(Assert.Single(store.QueryStories(new StoryQuery(10)).Items).Text));
            var summary = await pipelines.Ingestor.IngestAsync(Feed("flaky"), CancellationToken.None);
            Assert.Equal(1, summary.Updated);
            Assert.Contains("story 1", Assert.Single(store.QueryStories(new StoryQuery(10)).Items).Text);
        }
    }

    [Fact]
    public async Task TheHighestPriorityFeedRepresentsTheStoryThenTheEarliest()
    {
        Article("/p/wire", 3, "Wire headline");
        var link = _server.Url("/p/wire").ToString();
        Serve("digest", new Item("d", link, "Digest headline", Published: "Fri, 01 May 2026 08:00:00 GMT"));
        Serve("wire", new Item("w", link + "?utm_source=rss", "Wire headline", Published: "Fri, 01 May 2026 09:00:00 GMT"));
        Serve("blog", new Item("b", link, "Blog headline", Published: "Fri, 01 May 2026 07:00:00 GMT"));
        var feeds = new[] { Feed("digest"), Feed("wire", priority: 10), Feed("blog") };
        var (_, store, pipelines) = Open(feeds);
        using (store) using (pipelines)
        {
            foreach (var feed in feeds) await pipelines.Ingestor.IngestAsync(feed, CancellationToken.None);
            var story = Assert.Single(store.QueryStories(new StoryQuery(10)).Items);
            Assert.Equal("wire", story.Sources[0].FeedId);
            Assert.Equal("Wire headline", story.Title);
            // Among equal priorities the earliest comes first; the story is as old as its earliest source.
            Assert.Equal(["wire", "blog", "digest"], story.Sources.Select(s => s.FeedId));
            Assert.Equal(new DateTime(2026, 5, 1, 7, 0, 0, DateTimeKind.Utc), story.Published);
        }
    }

    [Fact]
    public async Task ASplitSourceStandsAloneAndStaysApartAcrossRefetches()
    {
        var rhine = NearDuplicateCalibrationTests.RhineText;
        _server.MapText("/a/story", Page("Low water on the Rhine", rhine));
        _server.MapText("/b/copy", Page("Barges half empty", NearDuplicateCalibrationTests.Edit(rhine, 15)));
        Serve("a", new Item("a-1", _server.Url("/a/story").ToString(), "Low water on the Rhine"));
        Serve("b", new Item("b-1", _server.Url("/b/copy").ToString(), "Barges half empty"));
        var feeds = new[] { Feed("a"), Feed("b") };
        var (config, store, pipelines) = Open(feeds);
        using (store) using (pipelines)
        {
            foreach (var feed in feeds) await pipelines.Ingestor.IngestAsync(feed, CancellationToken.None);
            var merged = Assert.Single(store.QueryStories(new StoryQuery(10)).Items);
            Assert.Equal(2, merged.Sources.Count);

            var splitter = pipelines.Services.GetRequiredService<StorySplitter>();
            var result = await splitter.SplitAsync(merged.Id, _server.Url("/b/copy").ToString(), null, CancellationToken.None);
            Assert.Equal(SplitOutcome.Split, result.Outcome);
            Assert.Equal(["a"], result.From!.Sources.Select(s => s.FeedId));
            Assert.Equal("b", Assert.Single(result.To!.Sources).FeedId);
            Assert.Equal($"split from {merged.Id}", result.To.Sources[0].MatchedBy);
            Assert.Contains("Rhine", result.To.Text); // its own page, fetched again
            Assert.Equal("Barges half empty", result.To.Title);

            // Re-fetching both feeds (and a brand-new copy of the same item after the split story is
            // gone) never re-merges the split source.
            foreach (var feed in feeds) await pipelines.Ingestor.IngestAsync(feed, CancellationToken.None);
            Assert.Equal(2, store.StoryCount);
            await store.DeleteStoriesAsync([result.To.Id], DateTime.UtcNow);
            await store.PurgeTombstonesAsync(DateTime.UtcNow.AddMinutes(1));
            await pipelines.Ingestor.IngestAsync(Feed("b"), CancellationToken.None);
            var all = store.QueryStories(new StoryQuery(10)).Items;
            Assert.Equal(2, all.Count);
            Assert.Equal(["a"], all.Single(s => s.Id == merged.Id).Sources.Select(s => s.FeedId));

            // Errors: unknown story, unknown source, the only source.
            Assert.Equal(SplitOutcome.NoStory, (await splitter.SplitAsync("nope", "https://x.org/", null, CancellationToken.None)).Outcome);
            Assert.Equal(SplitOutcome.NoSource, (await splitter.SplitAsync(merged.Id, "https://x.org/", null, CancellationToken.None)).Outcome);
            Assert.Equal(SplitOutcome.OnlySource, (await splitter.SplitAsync(merged.Id, _server.Url("/a/story").ToString(), null, CancellationToken.None)).Outcome);
        }
    }
}
