using Aggregator.Core.Storage;

namespace Aggregator.Tests.Storage;

/// <summary>The bounds of <see cref="SearchTerms"/> and the parsing of <c>q</c> (matching itself: <see cref="SearchContractTests"/>).</summary>
public sealed class SearchTermsTests
{
    [Fact]
    public void TermsAreCutAndCapped()
    {
        var longWord = new string('a', 40) + " b";
        Assert.Equal([new string('a', SearchTerms.MaxTermLength), "b"], SearchTerms.Of(longWord, null));
        // A surrogate pair is never cut in half.
        var emoji = new string('a', SearchTerms.MaxTermLength - 1) + "𐌰";
        Assert.Equal(new string('a', SearchTerms.MaxTermLength - 1), Assert.Single(SearchTerms.Of(emoji, null)));
        var many = string.Join(' ', Enumerable.Range(0, SearchTerms.MaxTermsPerStory + 50).Select(i => $"w{i}"));
        var terms = SearchTerms.Of("Title", many);
        Assert.Equal(SearchTerms.MaxTermsPerStory, terms.Count);
        Assert.Equal("title", terms[0]);
        var parsed = SearchQuery.Parse(" Harbour,  BRID ");
        Assert.Equal(["harbour"], parsed.Terms);
        Assert.Equal("brid", parsed.Prefix);
        Assert.True(SearchQuery.Parse("?! …").IsEmpty);
    }
}
