using Aggregator.Core.Dedup;

namespace Aggregator.Tests.Dedup;

public class UrlCanonicalizerTests
{
    [Theory]
    [InlineData("https://www.Example.org/World/story-1/", "example.org/World/story-1")]
    [InlineData("HTTP://example.org:80/world/story-1", "example.org/world/story-1")]
    [InlineData("https://example.org:443/world/story-1#comments", "example.org/world/story-1")]
    [InlineData("https://example.org/world/story-1?utm_source=rss&utm_medium=feed&fbclid=x&gclid=y", "example.org/world/story-1")]
    [InlineData("https://example.org/world/story-1?id=7&utm_campaign=a&ref=home", "example.org/world/story-1?id=7")]
    [InlineData("https://example.org/world/story-1/amp/", "example.org/world/story-1")]
    [InlineData("https://amp.example.org/world/story-1", "example.org/world/story-1")]
    [InlineData("https://example.org/amp/world/story-1", "example.org/world/story-1")]
    [InlineData("https://example.org/world/story-1?b=2&a=1", "example.org/world/story-1?a=1&b=2")]
    [InlineData("https://example.org:8443/x", "example.org:8443/x")]
    public void SpellingsOfOneUrlCollapse(string url, string expected) =>
        Assert.Equal(expected, UrlCanonicalizer.Canonicalize(url));

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("mailto:a@b.c")]
    [InlineData("not a url")]
    [InlineData("")]
    public void NonWebUrlsHaveNoCanonicalForm(string url) => Assert.Null(UrlCanonicalizer.Canonicalize(url));

    [Fact]
    public void DifferentArticlesStayDifferent() =>
        Assert.NotEqual(UrlCanonicalizer.Canonicalize("https://example.org/a?id=1"), UrlCanonicalizer.Canonicalize("https://example.org/a?id=2"));

    [Fact]
    public void ReaderUrlKeepsSchemeButLosesTracking() =>
        Assert.Equal("https://www.example.org/a?id=1", UrlCanonicalizer.WithoutTracking("https://www.example.org/a?utm_source=x&id=1#top"));
}
