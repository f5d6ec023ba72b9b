using Aggregator.Core.Dedup;
using Aggregator.Core.Parsing;

namespace Aggregator.Tests.Dedup;

public class RedirectWrapperTests
{
    private const string Target = "https://www.example.org/world/2026/05/01/story.html";

    [Theory]
    [InlineData("https://news.google.com/url?url=https%3A%2F%2Fwww.example.org%2Fworld%2F2026%2F05%2F01%2Fstory.html&ct=ga&sa=t")]
    [InlineData("https://www.google.com/url?rct=j&sa=t&url=https%3A%2F%2Fwww.example.org%2Fworld%2F2026%2F05%2F01%2Fstory.html&ct=ga")]
    [InlineData("https://www.google.com/url?q=https://www.example.org/world/2026/05/01/story.html&sa=D")]
    [InlineData("https://l.facebook.com/l.php?u=https%3A%2F%2Fwww.example.org%2Fworld%2F2026%2F05%2F01%2Fstory.html&h=AT0")]
    [InlineData("https://out.reddit.com/t3_abc?url=https%3A%2F%2Fwww.example.org%2Fworld%2F2026%2F05%2F01%2Fstory.html&token=x")]
    // nested: a Facebook link to a Google redirect
    [InlineData("https://l.facebook.com/l.php?u=https%3A%2F%2Fwww.google.com%2Furl%3Fq%3Dhttps%253A%252F%252Fwww.example.org%252Fworld%252F2026%252F05%252F01%252Fstory.html")]
    public void QueryWrappersGiveTheirTarget(string wrapped) => Assert.Equal(Target, RedirectWrappers.Unwrap(wrapped));

    [Fact]
    public void GoogleNewsArticleLinksCarryTheirTargetInTheirPayload()
    {
        // The older CBMi… form: protobuf field 4 holds the URL, length-prefixed.
        var url = System.Text.Encoding.ASCII.GetBytes(Target);
        byte[] payload = [0x08, 0x13, 0x22, (byte)url.Length, .. url, 0xD2, 0x01, 0x00];
        var encoded = Convert.ToBase64String(payload).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        Assert.Equal(Target, RedirectWrappers.Unwrap($"https://news.google.com/rss/articles/{encoded}?oc=5"));
        // Opaque payloads (newer links) and garbage stay as they are, for the article fetch to resolve.
        Assert.Equal("https://news.google.com/rss/articles/AU_yqLNotDecodable?oc=5", RedirectWrappers.Unwrap("https://news.google.com/rss/articles/AU_yqLNotDecodable?oc=5"));
    }

    [Theory]
    [InlineData("https://www.example.org/world/story.html?url=https://evil.example/")] // not a wrapper host
    [InlineData("https://www.google.com/search?q=https://www.example.org/")] // a search, not a redirect
    [InlineData("https://news.google.com/url?url=javascript:alert(1)")] // only http(s) targets
    public void OtherLinksStayAsTheyAre(string link) => Assert.Equal(link, RedirectWrappers.Unwrap(link));

    [Fact]
    public void WrappedAndDirectLinksShareTheUrlKey() =>
        Assert.Equal(StoryKeys.UrlKey(Target), StoryKeys.UrlKey("https://www.google.com/url?q=" + Uri.EscapeDataString(Target + "?utm_source=gn")));

    [Fact]
    public void ItemIdentityTrustsGuidsUnlessMoreThanFivePercentAreEmptyOrRepeated()
    {
        static ParsedItem Item(string? guid, string link) => new(guid, "t", link, null, null, null, null, null, [], [], [], []);
        var healthy = Enumerable.Range(0, 40).Select(i => Item($"g{i}", $"https://x.org/{i}")).ToList();
        Assert.True(ItemIdentity.Assess(healthy).UseGuids);
        // 2 of 40 empty (5%): still trusted; the empty ones fall back to their links anyway.
        var twoEmpty = healthy.Take(38).Concat([Item(null, "https://x.org/a"), Item(" ", "https://x.org/b")]).ToList();
        Assert.True(ItemIdentity.Assess(twoEmpty).UseGuids);
        // 3 of 40 empty: links for the whole feed, with a note.
        var threeEmpty = healthy.Take(37).Concat([Item(null, "https://x.org/a"), Item(null, "https://x.org/b"), Item(null, "https://x.org/c")]).ToList();
        var broken = ItemIdentity.Assess(threeEmpty);
        Assert.False(broken.UseGuids);
        Assert.Equal("GUIDs unusable (3 empty of 40 items): items identified by link", broken.Note);
        Assert.Equal("the feed gives no GUIDs: items identified by link", ItemIdentity.Assess([Item(null, "https://x.org/1")]).Note);
        // One GUID on two different links: those two are never one story, the others keep their GUIDs.
        var conflict = ItemIdentity.Assess([.. healthy, Item("g0", "https://x.org/other")]);
        Assert.True(conflict.UseGuids);
        Assert.False(conflict.Trusts(healthy[0]));
        Assert.True(conflict.Trusts(healthy[1]));
        Assert.NotEqual(StoryKeys.ForItem("f", healthy[0], conflict)[0].Hash, StoryKeys.ForItem("f", Item("g0", "https://x.org/other"), conflict)[0].Hash);
    }
}
