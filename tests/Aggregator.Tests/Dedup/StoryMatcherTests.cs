using Aggregator.Core.Dedup;

namespace Aggregator.Tests.Dedup;

/// <summary>The matching rule alone, over lookups given as data.</summary>
public sealed class StoryMatcherTests
{
    private sealed class Lookups(Dictionary<string, string> keys, Dictionary<string, string[]> feeds, string? near) : IMatchLookups
    {
        public string? StoryOfKey(string keyHash) => keys.GetValueOrDefault(keyHash);
        public bool CarriesFeed(string storyId, string feedId) => feeds.GetValueOrDefault(storyId, []).Contains(feedId);
        public (string StoryId, double Similarity)? NearDuplicate(TextSignature signature, DateTime published, Func<string, bool> excluded) =>
            near is not null && !excluded(near) ? (near, 0.81) : null;
    }

    private static readonly TextSignature Signature = new(new uint[MinHash.Size], 100);
    private static readonly DateTime At = new(2025, 5, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void AnIdentityKey_JoinsWhateverFeedCarriesTheStory()
    {
        var lookups = new Lookups(new() { ["u"] = "s1" }, new() { ["s1"] = ["f"] }, null);
        Assert.Equal(("s1", StoryKeys.Url), StoryMatcher.Match([new(StoryKeys.Url, "u")], null, At, "f", null, lookups));
    }

    [Fact]
    public void Text_JoinsAnotherOutlet_ButNeverAStoryOfTheSameFeed()
    {
        var lookups = new Lookups(new() { ["t"] = "s1" }, new() { ["s1"] = ["f"], ["s2"] = ["g"] }, "s1");
        Assert.Null(StoryMatcher.Match([new(StoryKeys.Text, "t")], Signature, At, "f", null, lookups));
        Assert.Equal(("s1", StoryKeys.Text), StoryMatcher.Match([new(StoryKeys.Text, "t")], Signature, At, "g", null, lookups));
        Assert.Equal(("s1", "similar-text 0.81"), StoryMatcher.Match([], Signature, At, "g", null, lookups));
        Assert.Null(StoryMatcher.Match([], Signature, At, "f", null, lookups));
    }

    [Fact]
    public void ASplit_HoldsAgainstKeysAndText()
    {
        var lookups = new Lookups(new() { ["u"] = "s1" }, new() { ["s1"] = ["g"] }, "s1");
        var split = new HashSet<string> { "s1" };
        Assert.Null(StoryMatcher.Match([new(StoryKeys.Url, "u")], Signature, At, "f", split, lookups));
    }
}
