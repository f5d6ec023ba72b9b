using Aggregator.Core.Dedup;
using Aggregator.Core.Extraction;
using Aggregator.Core.Parsing;
using Aggregator.Core.Pipeline;
using Aggregator.Tests.Support;

namespace Aggregator.Tests.Pipeline;

public class StoryBuilderTests
{
    private static readonly DateTime Now = new(2026, 5, 1, 12, 0, 0, DateTimeKind.Utc);

    private static ParsedItem Item(DateTimeOffset? published, string? summary = null) =>
        new("id-1", "A <b>bold</b> title", "https://x.example/a?utm_source=rss", summary, null, null, published, null, [], [], [], []);

    [Fact]
    public void AFutureDateDoesNotPinTheStoryOnTop()
    {
        var item = Item(DateParser.Parse("Fri, 31 Dec 9999 23:59:59 GMT"));
        var story = StoryBuilder.Create(TestConfigs.Feed("f", new Uri("https://x.example/rss")), "X", item, StoryBuilder.Body(item, null),
            [new StoryKey(StoryKeys.Guid, StoryKeys.Hash("k"))], Now);
        Assert.Equal(Now, story.Published);
        Assert.Equal("A bold title", story.Title);
        Assert.Equal("https://x.example/a", story.Url);
    }

    [Fact]
    public void SummaryIsTheFirstRealParagraphWithoutBoilerplate()
    {
        var item = Item(null, "<p>For the latest headlines, follow our Google News channel online or via the app.</p><p>The real first paragraph of the story, long enough to be a summary.</p>");
        var story = StoryBuilder.Create(TestConfigs.Feed("f", new Uri("https://x.example/rss")), "X", item, StoryBuilder.Body(item, null),
            [new StoryKey(StoryKeys.Guid, StoryKeys.Hash("k"))], Now);
        Assert.Equal("The real first paragraph of the story, long enough to be a summary.", story.Summary);
    }

    [Fact]
    public void TheLongerOfPageAndFeedContentIsKept()
    {
        var teaser = new ExtractedArticle("T", null, null, null, "https://x.example/a", "https://x.example/i.jpg", "Short teaser.", "<p>Short teaser.</p>");
        var full = Item(null, string.Concat(Enumerable.Repeat("<p>A full paragraph of the story as the feed carries it.</p>", 5)));
        var body = StoryBuilder.Body(full, teaser);
        Assert.Equal(5, body.Text.Split("\n\n").Length);
        Assert.Equal("https://x.example/a", body.CanonicalUrl);
    }

    [Fact]
    public void OnlyAbsoluteHttpImagesAreKeptAtIngest()
    {
        var item = Item(null) with { Enclosures = [new Enclosure("javascript:alert(1)", "image/png", null), new Enclosure("https://x.example/e.jpg", "image/jpeg", null)] };
        var page = new ExtractedArticle("T", null, null, null, null, "javascript:alert(document.domain)", "Text.", "<p>Text.</p>");
        var story = StoryBuilder.Create(TestConfigs.Feed("f", new Uri("https://x.example/rss")), "X", item, page,
            [new StoryKey(StoryKeys.Guid, StoryKeys.Hash("k"))], Now);
        Assert.Equal("https://x.example/e.jpg", story.ImageUrl);
        var onlyBad = Item(null) with { Enclosures = [new Enclosure("data:image/png;base64,AAAA", "image/png", null)] };
        Assert.Null(StoryBuilder.Create(TestConfigs.Feed("f", new Uri("https://x.example/rss")), "X", onlyBad, StoryBuilder.Body(onlyBad, null),
            [new StoryKey(StoryKeys.Guid, StoryKeys.Hash("k"))], Now).ImageUrl);
    }
}
