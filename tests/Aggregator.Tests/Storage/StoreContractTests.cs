using Aggregator.Core.Dedup;
using Aggregator.Core.Storage;
using Aggregator.Core.Storage.Postgres;
using Aggregator.Tests.Support;

namespace Aggregator.Tests.Storage;

/// <summary>
/// What every <see cref="IStoryStore"/> must do, whichever engine keeps it: the same facts run
/// against LiteDB (a temp file) and PostgreSQL (a fresh schema per test on AGGREGATOR_TEST_POSTGRES).
/// </summary>
public abstract partial class StoreContractTests
{
    internal static readonly DateTime Now = new(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    /// <summary>A new, empty store (each test owns it).</summary>
    protected abstract IStoryStore Open();

    internal static StoryRecord Story(string id, DateTime published, string feedId = "f", string category = "World", string? text = null, string? url = null) => new()
    {
        Id = id, SortKey = StoryRecord.MakeSortKey(published, id), Title = $"Story {id}", Category = category,
        Published = published, FirstSeen = Now, Updated = Now, Text = text ?? "body text",
        Sources = [new StorySource { FeedId = feedId, Url = url ?? $"https://x.org/{id}", FirstSeen = Now, Published = published }],
    };

    internal static StoryKey Key(string value) => new(StoryKeys.Url, StoryKeys.Hash(value));

    /// <summary>A body of <paramref name="words"/> words from a seeded vocabulary: bodies of different seeds share almost no shingles.</summary>
    internal static string Body(int seed, int words = 150)
    {
        var random = new Random(seed);
        return string.Join(' ', Enumerable.Range(0, words).Select(_ => $"w{random.Next(5000)}"));
    }

    /// <summary>A light edit: a few words changed and an outlet's line added, as a republisher does.</summary>
    internal static string Edited(string body, int outlet)
    {
        var words = body.Split(' ');
        for (var i = 3 + outlet; i < words.Length; i += 40) words[i] = $"edit{outlet}";
        return string.Join(' ', words) + $" Reporting by outlet {outlet} staff";
    }

    [SkippableFact]
    public async Task AKnownKeyAttachesASourceAndFindStoryNamesIt()
    {
        using var store = Open();
        var (id, created) = await store.AddOrAttachAsync(Story("0000000000000001", Now, "f1"), [Key("a")], Now);
        var (id2, created2) = await store.AddOrAttachAsync(Story("0000000000000002", Now, "f2"), [Key("b"), Key("a")], Now);
        Assert.True(created);
        Assert.False(created2);
        Assert.Equal(id, id2);
        var story = store.GetStory(id)!;
        Assert.Equal(["f1", "f2"], story.Sources.Select(s => s.FeedId));
        Assert.Equal(StoryKeys.Url, story.Sources[1].MatchedBy);
        Assert.Equal(1, store.StoryCount);
        Assert.Equal((id, StoryKeys.Url), store.FindStory([Key("zzz"), Key("b")]));
        Assert.Null(store.FindStory([Key("zzz")]));
        Assert.Equal(new Dictionary<string, int> { ["f1"] = 1, ["f2"] = 1 }, store.CountStoriesByFeed().OrderBy(x => x.Key).ToDictionary());
        Assert.Equal(DateTimeKind.Utc, story.Published.Kind);
        Assert.Equal(Now, story.Published);
        Assert.Equal(Now, store.NewestPublished);
    }

    [SkippableFact]
    public async Task AttachSourceAddsAnotherOutletAndItsKeys()
    {
        using var store = Open();
        var (id, _) = await store.AddOrAttachAsync(Story("0000000000000001", Now, "f1"), [Key("a")], Now);
        var attached = await store.AttachSourceAsync(id, new StorySource { FeedId = "f2", Url = "https://y.org/1", FirstSeen = Now }, [Key("c")], Now);
        Assert.Equal(2, attached!.Sources.Count);
        Assert.Equal(id, store.FindStory([Key("c")])?.StoryId);
        Assert.Null(await store.AttachSourceAsync("ffffffffffffffff", new StorySource { FeedId = "f2" }, [Key("d")], Now));
    }

    [SkippableFact]
    public async Task ADeletedStoryLeavesATombstoneUntilPurged()
    {
        using var store = Open();
        var (id, _) = await store.AddOrAttachAsync(Story("0000000000000001", Now), [Key("a")], Now);
        Assert.Equal(1, await store.DeleteStoriesAsync([id, "ffffffffffffffff"], Now));
        Assert.Null(store.GetStory(id));
        Assert.Equal(0, store.StoryCount);
        Assert.Equal(id, store.FindStory([Key("a")])?.StoryId);
        // The feed still lists the item: it does not come back.
        Assert.Equal((id, false), await store.AddOrAttachAsync(Story("0000000000000002", Now), [Key("a")], Now));
        Assert.Equal(0, store.StoryCount);

        Assert.Equal(0, await store.PurgeTombstonesAsync(Now.AddSeconds(-1)));
        Assert.Equal(1, await store.PurgeTombstonesAsync(Now));
        Assert.Null(store.FindStory([Key("a")]));
        Assert.True((await store.AddOrAttachAsync(Story("0000000000000003", Now), [Key("a")], Now)).Created);
    }

    [SkippableFact]
    public async Task ACutCopyKeepingTheLeadJoins_AFollowUpRepeatingBackgroundDoesNot()
    {
        // Overlap alone cannot tell these apart (Jaccard about 0.25 both); the stored lead sample can,
        // and both engines must keep it and judge by it.
        using var store = Open();
        var original = Enumerable.Range(10, 8).Select(n => Body(n, 40)).ToList();
        var text = string.Join("\n\n", original);
        var (id, _) = await store.AddOrAttachAsync(Story("0000000000000001", Now, "f1", text: text), [Key("a")], Now, MinHash.Compute(text));
        var cut = string.Join("\n\n", original.Take(3).Concat(Enumerable.Range(90, 3).Select(n => Body(n, 40))));
        Assert.Equal((id, false), await store.AddOrAttachAsync(Story("0000000000000002", Now.AddHours(2), "f2", text: cut), [Key("b")], Now, MinHash.Compute(cut)));
        var followUp = string.Join("\n\n", Enumerable.Range(60, 5).Select(n => Body(n, 40)).Concat([original[3], original[5], original[7]]));
        Assert.True((await store.AddOrAttachAsync(Story("0000000000000003", Now.AddHours(4), "f3", text: followUp), [Key("c")], Now, MinHash.Compute(followUp))).Created);
    }

    [SkippableFact]
    public async Task SimilarTextJoinsAcrossFeedsButNeverTheSameFeedNorOutsideTheWindow()
    {
        using var store = Open();
        var body = Body(1);
        var (id, _) = await store.AddOrAttachAsync(Story("0000000000000001", Now, "f1", text: body), [Key("a")], Now, MinHash.Compute(body));
        var copy = Edited(body, 2);
        var joined = await store.AddOrAttachAsync(Story("0000000000000002", Now.AddHours(3), "f2", text: copy), [Key("b")], Now, MinHash.Compute(copy));
        Assert.Equal((id, false), joined);
        Assert.StartsWith("similar-text ", store.GetStory(id)!.Sources[1].MatchedBy);

        var sameFeed = Edited(body, 3);
        Assert.True((await store.AddOrAttachAsync(Story("0000000000000003", Now, "f1", text: sameFeed), [Key("c")], Now, MinHash.Compute(sameFeed))).Created);
        var late = Edited(body, 4);
        Assert.True((await store.AddOrAttachAsync(Story("0000000000000004", Now.AddDays(8), "f4", text: late), [Key("d")], Now.AddDays(8), MinHash.Compute(late))).Created);
        var other = Body(2);
        Assert.True((await store.AddOrAttachAsync(Story("0000000000000005", Now, "f5", text: other), [Key("e")], Now, MinHash.Compute(other))).Created);
        Assert.Equal(4, store.StoryCount);
    }

    [SkippableFact]
    public async Task ASplitSourceBecomesItsOwnStoryAndDoesNotJoinAgain()
    {
        using var store = Open();
        var body = Body(3);
        var (id, _) = await store.AddOrAttachAsync(Story("0000000000000001", Now, "f1", text: body), [Key("https://x.org/1")], Now, MinHash.Compute(body));
        var copy = Edited(body, 1);
        var wrongUrl = "https://y.org/other";
        await store.AddOrAttachAsync(Story("0000000000000002", Now, "f2", text: copy, url: wrongUrl), [StoryKeys.UrlKey(wrongUrl)!], Now, MinHash.Compute(copy));
        Assert.Equal(2, store.GetStory(id)!.Sources.Count);

        var result = await store.SplitSourceAsync(id, wrongUrl, Now);
        Assert.Equal(SplitOutcome.Split, result.Outcome);
        Assert.Single(result.From!.Sources);
        Assert.Equal(result.To!.Id, store.GetStory(result.To.Id)!.Id);
        Assert.Equal(2, store.StoryCount);
        Assert.Equal(result.To.Id, store.FindStory([StoryKeys.UrlKey(wrongUrl)!])?.StoryId);
        // The same source again, by key or by its text: never back into the story it was split from.
        Assert.NotEqual(id, (await store.AddOrAttachAsync(Story("0000000000000003", Now, "f2", text: copy, url: wrongUrl), [StoryKeys.UrlKey(wrongUrl)!], Now, MinHash.Compute(copy))).StoryId);
        Assert.NotEqual(id, (await store.AddOrAttachAsync(Story("0000000000000004", Now, "f2", text: copy, url: wrongUrl), [Key("new")], Now, MinHash.Compute(copy))).StoryId);
        Assert.Single(store.GetStory(id)!.Sources);
        Assert.Equal(SplitOutcome.OnlySource, (await store.SplitSourceAsync(id, "https://x.org/0000000000000001", Now)).Outcome);
        Assert.Equal(SplitOutcome.NoSource, (await store.SplitSourceAsync(id, "https://nowhere.example/", Now)).Outcome);
        Assert.Equal(SplitOutcome.NoStory, (await store.SplitSourceAsync("ffffffffffffffff", wrongUrl, Now)).Outcome);
    }

    [SkippableFact]
    public async Task AnUpdateWorksOnTheLatestStateAndKeepsSourcesAttachedMeanwhile()
    {
        using var store = Open();
        var (id, _) = await store.AddOrAttachAsync(Story("0000000000000001", Now, "f1"), [Key("a")], Now);
        var writes = Enumerable.Range(0, 10).Select(i => i % 2 == 0
            ? (Task)store.UpdateStoryAsync(id, s => { s.Summary = (s.Summary ?? "") + "x"; return true; }, "f1", [Key($"u{i}")])
            : store.AttachSourceAsync(id, new StorySource { FeedId = $"g{i}", Url = $"https://g{i}.org/1", FirstSeen = Now }, [Key($"g{i}")], Now)).ToList();
        await Task.WhenAll(writes);
        var story = store.GetStory(id)!;
        Assert.Equal(6, story.Sources.Count);
        Assert.Equal("xxxxx", story.Summary);
        Assert.Equal(id, store.FindStory([Key("u4")])?.StoryId);
        var version = store.Version;
        Assert.Equal("xxxxx", (await store.UpdateStoryAsync(id, _ => false))!.Summary);
        Assert.Null(await store.UpdateStoryAsync("ffffffffffffffff", _ => true));
        Assert.True(store.Version >= version);
    }

    [SkippableFact]
    public async Task RetentionFindsStoriesPastTheDateOrBeyondTheCountOldestFirst()
    {
        using var store = Open();
        for (var i = 0; i < 10; i++) await store.AddOrAttachAsync(Story($"{i:x16}", Now.AddDays(i)), [Key($"k{i}")], Now.AddDays(10));
        Assert.Equal(["0000000000000000", "0000000000000001", "0000000000000002"], store.FindExpired(Now.AddDays(3), 100, 100).Order());
        Assert.Equal(4, store.FindExpired(Now.AddDays(1), 6, 100).Count);
        Assert.Equal(2, store.FindExpired(Now.AddDays(5), 100, 2).Count);
        var expired = store.FindExpired(Now.AddDays(3), 100, 100);
        Assert.Equal(3, await store.DeleteStoriesAsync(expired, Now));
        Assert.Equal(7, store.StoryCount);
        Assert.Equal(7, store.QueryStories(new StoryQuery(Limit: 100)).Items.Count);
        Assert.Equal(3, await store.PurgeTombstonesAsync(Now.AddDays(1), limit: 10));
        Assert.Equal(Now.AddDays(9), store.NewestPublished);
        Assert.True(store.StorageBytes > 0);
        await store.CheckpointAsync();
    }

    [SkippableFact]
    public async Task FeedStateRoundTrips()
    {
        using var store = Open();
        Assert.Equal(FeedStatus.Pending, store.GetFeedState("f").Status);
        await store.SaveFeedStateAsync(new FeedStateRecord
        {
            Id = "f", ETag = "\"v1\"", LastModified = "Fri, 02 Jan 2026 03:04:05 GMT", Status = FeedStatus.Failing, LastFetched = Now, LastSucceeded = Now.AddHours(-1),
            Error = "fetch: 503", ErrorClass = "http", ConsecutiveFailures = 2, NextFetch = Now.AddMinutes(15), IntervalSeconds = 900, Identity = "link",
        });
        var state = store.GetFeedState("f");
        Assert.Equal(("\"v1\"", FeedStatus.Failing, Now, 2, "link"), (state.ETag, state.Status, state.LastFetched, state.ConsecutiveFailures, state.Identity));
        Assert.Equal(DateTimeKind.Utc, state.NextFetch!.Value.Kind);
        Assert.Equal(Now.AddMinutes(15), state.NextFetch);
    }

    [SkippableFact]
    public async Task BoilerplateIsLearnedFromASitesRecentArticles()
    {
        using var store = Open();
        (long, string)[] Paragraphs(int n) => [(42, "Follow us on our channel"), (1000 + n, $"unique {n}")];
        Assert.Empty(await store.RecordSiteArticleAsync("site.example", "https://site.example/1", Paragraphs(1), Now, window: 10, minArticles: 3));
        Assert.Empty(await store.RecordSiteArticleAsync("site.example", "https://site.example/1", Paragraphs(1), Now, window: 10, minArticles: 3));
        Assert.Empty(await store.RecordSiteArticleAsync("site.example", "https://site.example/2", Paragraphs(2), Now, window: 10, minArticles: 3));
        Assert.Empty(store.LearnedBoilerplateFor("site.example"));
        var learned = await store.RecordSiteArticleAsync("site.example", "https://site.example/3", Paragraphs(3), Now, window: 10, minArticles: 3);
        Assert.Equal([42L], learned.Select(l => l.Fingerprint));
        Assert.Equal([42L], store.LearnedBoilerplateFor("site.example"));
        Assert.Empty(store.LearnedBoilerplateFor("other.example"));
        var profile = Assert.Single(store.SiteProfiles());
        Assert.Equal(("site.example", 3, "Follow us on our channel"), (profile.Id, profile.Recent.Count, profile.Learned[0].Text));
    }

    [SkippableFact]
    public async Task PagesWalkNewestFirstWithTheFilters()
    {
        using var store = Open();
        for (var i = 0; i < 25; i++)
        {
            var story = Story($"{i:x16}", Now.AddMinutes(i % 5 == 0 ? 0 : i), feedId: i % 3 == 0 ? "a" : "b", category: i % 2 == 0 ? "World" : "Sport",
                text: i == 7 ? "The Harbour bridge reopened" : "body text");
            await store.AddOrAttachAsync(story, [Key($"k{i}")], Now);
        }
        var seen = new List<StoryRecord>();
        string? cursor = null;
        do
        {
            var page = store.QueryStories(new StoryQuery(Limit: 4, Before: cursor));
            Assert.True(page.Items.Count <= 4);
            seen.AddRange(page.Items);
            cursor = page.NextCursor;
        } while (cursor is not null);
        Assert.Equal(25, seen.Select(s => s.Id).Distinct().Count());
        Assert.Equal(seen.OrderByDescending(s => s.SortKey, StringComparer.Ordinal).Select(s => s.Id), seen.Select(s => s.Id));
        Assert.Equal(13, store.QueryStories(new StoryQuery(Limit: 100, Category: "world")).Items.Count);
        Assert.Equal(4, store.QueryStories(new StoryQuery(Limit: 100, Since: Now.AddMinutes(20))).Items.Count);
        Assert.Equal(5, store.QueryStories(new StoryQuery(Limit: 100, Until: Now)).Items.Count);
        Assert.Equal(9, store.QueryStories(new StoryQuery(Limit: 100, FeedId: "a")).Items.Count);
        Assert.Equal(["0000000000000007"], store.QueryStories(new StoryQuery(Text: "harbour BRIDGE")).Items.Select(s => s.Id));
        Assert.Equal(["0000000000000014"], store.QueryStories(new StoryQuery(Text: "story 0000000000000014")).Items.Select(s => s.Id));
        Assert.Equal(2, store.QueryStories(new StoryQuery(Limit: 2, Category: "Sport", FeedId: "b")).Items.Count);
    }

    [SkippableFact]
    public async Task TheVersionMovesOnEveryStoryWrite_ButNotOnFeedStateSaves()
    {
        using var store = Open();
        var before = store.Version;
        await store.AddOrAttachAsync(Story("0000000000000001", Now), [Key("a")], Now);
        var afterAdd = store.Version;
        Assert.True(afterAdd > before);
        // A poll saves its feed's state every time: that must not invalidate every cached output.
        await store.SaveFeedStateAsync(new FeedStateRecord { Id = "f" });
        Assert.Equal(afterAdd, store.Version);
        await store.UpdateStoryAsync("0000000000000001", s => { s.Title = "Changed"; return true; });
        Assert.True(store.Version > afterAdd);
        Assert.True(store.Health.Ok);
    }
}

public sealed class LiteDbStoreContractTests : StoreContractTests, IDisposable
{
    private readonly TempDirectory _dir = new();

    protected override IStoryStore Open() => StoryStore.Open(_dir.File($"{Guid.NewGuid():N}.db"), TimeProvider.System);

    public void Dispose() => _dir.Dispose();
}

public sealed class PostgresStoreContractTests(TestPostgres server) : StoreContractTests, IClassFixture<TestPostgres>
{
    protected override IStoryStore Open() => PostgresStoryStore.Open(server.NewSchema(), TimeProvider.System);
}
