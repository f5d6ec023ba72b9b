using Aggregator.Core.Dedup;
using Aggregator.Core.Extraction;
using Aggregator.Core.Parsing;

namespace Aggregator.Tests.Dedup;

public class StoryKeysTests
{
    private static ParsedItem Item(string? id, string? link, string? title = "T") =>
        new(id, title, link, null, null, null, null, null, [], [], [], []);

    private static ExtractedArticle Article(string text, string? canonical = null) =>
        new("T", null, null, null, canonical, null, text, "");

    [Fact]
    public void GuidsAreScopedToTheirFeedButLinksAreGlobal()
    {
        var a = StoryKeys.ForItem("feed-a", Item("42", "https://example.org/story?utm_source=a"));
        var b = StoryKeys.ForItem("feed-b", Item("42", "https://www.example.org/story"));
        Assert.NotEqual(a[0].Hash, b[0].Hash);
        Assert.Equal(a[1].Hash, b[1].Hash);
        Assert.All(a, k => Assert.Matches("^[0-9a-f]{64}$", k.Hash));
    }

    [Fact]
    public void ItemWithoutGuidOrLinkFallsBackToTitleAndDate()
    {
        var keys = StoryKeys.ForItem("f", Item(null, null, "Only a title"));
        Assert.Single(keys);
        Assert.Empty(StoryKeys.ForItem("f", Item(null, null, null)));
    }

    [Fact]
    public void SameBodyTextGivesTheSameFingerprintWhateverTheSpacingAndCase()
    {
        var words = string.Join(' ', Enumerable.Range(0, 80).Select(i => $"word{i}"));
        Assert.Equal(StoryKeys.TextFingerprint(words), StoryKeys.TextFingerprint(words.ToUpperInvariant().Replace(" ", "\n\n  ")));
        Assert.NotEqual(StoryKeys.TextFingerprint(words), StoryKeys.TextFingerprint(words + " extra"));
        Assert.Null(StoryKeys.TextFingerprint("too short to fingerprint safely"));
    }

    [Fact]
    public void CanonicalUrlOfThePageMatchesAnotherItemsLink()
    {
        var fromPage = StoryKeys.ForArticle(Article("short", "https://example.org/story/"));
        var fromItem = StoryKeys.ForItem("other", Item(null, "http://www.example.org/story?utm_medium=x"));
        Assert.Equal(fromPage.Single().Hash, fromItem.Single().Hash);
    }
}
