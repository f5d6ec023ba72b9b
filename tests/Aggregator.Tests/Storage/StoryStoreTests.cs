using Aggregator.Core.Dedup;
using Aggregator.Core.Storage;
using Aggregator.Tests.Support;

namespace Aggregator.Tests.Storage;

public class StoryStoreTests
{
    private static readonly DateTime Now = new(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    private static StoryRecord Story(string id, DateTime published, string feedId = "f", string category = "World") => new()
    {
        Id = id, SortKey = StoryRecord.MakeSortKey(published, id), Title = $"Story {id}", Category = category,
        Published = published, FirstSeen = Now, Updated = Now, Text = "body text", Sources = [new StorySource { FeedId = feedId, Url = $"https://x.org/{id}", FirstSeen = Now }],
    };

    private static StoryKey Key(string value) => new(StoryKeys.Url, StoryKeys.Hash(value));

    /// <summary>
    /// LiteDB 5.0.21's page cache can give a concurrent reader a buffer it is recycling (litedb-org/LiteDB#2817):
    /// exceptions or another page's bytes. Several threads page through every full story while the writer
    /// rewrites stories; every read must succeed and every story must be the one asked for, whole.
    /// </summary>
    [Fact]
    public async Task ConcurrentReadersDuringWrites_GetWholeStoriesAndNoErrors()
    {
        using var dir = new TempDirectory();
        using var store = StoryStore.Open(dir.File("race.db"), TimeProvider.System);
        static string Body(int n, int version) => $"story {n} version {version} " + string.Concat(Enumerable.Repeat($"paragraph of story {n}. ", 120));
        const int Stories = 3000;
        for (var batch = 0; batch < Stories; batch += 500)
            await Task.WhenAll(Enumerable.Range(batch, 500).Select(n =>
            {
                var story = Story($"{n:D16}", Now.AddMinutes(-n));
                story.Text = Body(n, 0);
                return store.AddOrAttachAsync(story, [Key($"s{n}")], Now);
            }));
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(4));
        var writer = Task.Run(async () =>
        {
            var version = 0;
            while (!stop.IsCancellationRequested)
            {
                version++;
                await Task.WhenAll(Enumerable.Range(0, 50).Select(k => (version * 50 + k) * 7919 % Stories).Distinct().Select(n =>
                    store.UpdateStoryAsync($"{n:D16}", s => { s.Text = Body(n, version); return true; })));
            }
        });
        var pages = 0;
        var readers = Enumerable.Range(0, 3).Select(_ => Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                string? cursor = null;
                do
                {
                    var page = store.QueryStories(new StoryQuery(200, Before: cursor));
                    foreach (var story in page.Items)
                    {
                        var n = int.Parse(story.Id, System.Globalization.CultureInfo.InvariantCulture);
                        Assert.StartsWith($"story {n} version ", story.Text);
                        Assert.EndsWith($"paragraph of story {n}. ", story.Text);
                    }
                    Assert.Equal(page.Items.OrderByDescending(s => s.SortKey, StringComparer.Ordinal).Select(s => s.Id), page.Items.Select(s => s.Id));
                    Interlocked.Increment(ref pages);
                    cursor = page.NextCursor;
                } while (cursor is not null && !stop.IsCancellationRequested);
            }
        })).ToList();
        await Task.WhenAll([writer, .. readers]);
        Assert.True(pages > 0);
    }

    [Fact]
    public async Task SiteProfiles_ManyArticlesInOneBatch_AllKeptAfterReopening()
    {
        using var dir = new TempDirectory();
        var path = dir.File("sites.db");
        using (var store = StoryStore.Open(path, TimeProvider.System))
        {
            // Queued together, they share batches: each site's profile is written once per batch, with every article in it.
            await Task.WhenAll(Enumerable.Range(0, 40).Select(i => store.RecordSiteArticleAsync(i % 2 == 0 ? "a.example" : "b.example",
                $"https://x.example/{i}", [(42, "Follow us"), (1000 + i, $"unique {i}")], Now, window: 50, minArticles: 3)));
        }
        using (var store = StoryStore.Open(path, TimeProvider.System))
        {
            var profiles = store.SiteProfiles();
            Assert.Equal(["a.example", "b.example"], profiles.Select(p => p.Id));
            Assert.All(profiles, p => Assert.Equal(20, p.Recent.Count));
            Assert.All(profiles, p => Assert.Equal(42L, Assert.Single(p.Learned).Fingerprint));
            Assert.Equal([42L], store.LearnedBoilerplateFor("b.example"));
        }
    }

    [Fact]
    public async Task DataSurvivesARestartWithUtcDates()
    {
        using var dir = new TempDirectory();
        var path = dir.File("a.db");
        using (var store = StoryStore.Open(path, TimeProvider.System))
        {
            await store.AddOrAttachAsync(Story("0000000000000001", Now), [Key("a")], Now);
            await store.SaveFeedStateAsync(new FeedStateRecord { Id = "f", ETag = "\"v1\"", Status = FeedStatus.Ok, LastSucceeded = Now });
        }
        using (var store = StoryStore.Open(path, TimeProvider.System))
        {
            var story = store.GetStory("0000000000000001");
            Assert.NotNull(story);
            Assert.Equal(Now, story.Published);
            Assert.Equal(DateTimeKind.Utc, story.Published.Kind);
            Assert.Equal("\"v1\"", store.GetFeedState("f").ETag);
            Assert.Equal(("0000000000000001", StoryKeys.Url), store.FindStory([Key("a")]));
        }
    }

    [Fact]
    public void ASecondOpenOfTheSameFileIsRefusedWithAClearMessage()
    {
        using var dir = new TempDirectory();
        using var first = StoryStore.Open(dir.File("a.db"), TimeProvider.System);
        var e = Assert.Throws<StoreLockedException>(() => StoryStore.Open(dir.File("a.db"), TimeProvider.System));
        Assert.Contains("in use by another Aggregator process", e.Message);
    }

    [Fact]
    public async Task ASecondProcessIsRefusedAndTheFirstLosesNothing()
    {
        using var dir = new TempDirectory();
        var db = dir.File("shared.db");
        File.WriteAllText(dir.File("feeds.json"), $$"""{"storage":{"path":"{{db}}"},"feeds":[{"id":"a","url":"https://example.invalid/rss"}]}""");
        using var store = StoryStore.Open(db, TimeProvider.System);
        await store.AddOrAttachAsync(Story("0000000000000001", Now), [Key("a")], Now);

        var (exit, _, stderr) = await CliProcess.Run(["fetch", "--config", dir.File("feeds.json")]);
        Assert.Equal(2, exit);
        Assert.Contains("in use by another Aggregator process", stderr);
        Assert.NotNull(store.GetStory("0000000000000001"));
        await store.AddOrAttachAsync(Story("0000000000000002", Now), [Key("b")], Now);
        Assert.Equal(2, store.StoryCount);
    }

    [Fact]
    public async Task AKnownKeyAttachesASourceInsteadOfAddingAStory()
    {
        using var dir = new TempDirectory();
        using var store = StoryStore.Open(dir.File("a.db"), TimeProvider.System);
        var (id, created) = await store.AddOrAttachAsync(Story("0000000000000001", Now, "f1"), [Key("a")], Now);
        var (id2, created2) = await store.AddOrAttachAsync(Story("0000000000000002", Now, "f2"), [Key("b"), Key("a")], Now);
        Assert.True(created);
        Assert.False(created2);
        Assert.Equal(id, id2);
        var story = store.GetStory(id)!;
        Assert.Equal(["f1", "f2"], story.Sources.Select(s => s.FeedId));
        Assert.Equal(StoryKeys.Url, story.Sources[1].MatchedBy);
        Assert.Equal(1, store.StoryCount);
        Assert.Equal(id, store.FindStory([Key("b")])?.StoryId);
    }

    [Fact]
    public async Task TheEarliestPublishedSourceRepresentsTheStory()
    {
        using var dir = new TempDirectory();
        using var store = StoryStore.Open(dir.File("a.db"), TimeProvider.System);
        var relay = Story("0000000000000001", Now, "digest");
        relay.Sources[0].Published = Now.AddMinutes(-5);
        relay.Sources[0].ItemTitle = "Story (via Outlet)";
        await store.AddOrAttachAsync(relay, [Key("a")], Now);
        var original = Story("0000000000000002", Now, "outlet");
        original.Sources[0].Published = Now.AddMinutes(-30);
        original.Sources[0].ItemTitle = "Story";
        original.Sources[0].Url = "https://outlet.example/story";
        await store.AddOrAttachAsync(original, [Key("a")], Now);

        var story = store.GetStory("0000000000000001")!;
        Assert.Equal(["outlet", "digest"], story.Sources.Select(s => s.FeedId));
        Assert.Equal("Story", story.Title);
        Assert.Equal("https://outlet.example/story", story.Url);
        Assert.Equal(Now.AddMinutes(-30), story.Published);
        Assert.Single(store.QueryStories(new StoryQuery(Until: Now.AddMinutes(-20))).Items);
    }

    [Fact]
    public async Task PagesWalkNewestFirstWithoutGapsOrRepeats()
    {
        using var dir = new TempDirectory();
        using var store = StoryStore.Open(dir.File("a.db"), TimeProvider.System);
        for (var i = 0; i < 25; i++)
            await store.AddOrAttachAsync(Story($"{i:x16}", Now.AddMinutes(i % 5 == 0 ? 0 : i), category: i % 2 == 0 ? "World" : "Sport"), [Key($"k{i}")], Now);
        var seen = new List<StoryRecord>();
        string? cursor = null;
        do
        {
            var page = store.QueryStories(new StoryQuery(Limit: 4, Before: cursor));
            seen.AddRange(page.Items);
            cursor = page.NextCursor;
        } while (cursor is not null);
        Assert.Equal(25, seen.Select(s => s.Id).Distinct().Count());
        Assert.Equal(seen.OrderByDescending(s => s.SortKey).Select(s => s.Id), seen.Select(s => s.Id));
        Assert.Equal(13, store.QueryStories(new StoryQuery(Limit: 100, Category: "world")).Items.Count);
        Assert.Equal(4, store.QueryStories(new StoryQuery(Limit: 100, Since: Now.AddMinutes(20))).Items.Count);
    }
}
