using System.Diagnostics;
using Aggregator.Core.Configuration;
using Aggregator.Core.Filtering;

namespace Aggregator.Tests.Filtering;

/// <summary>The filter stage as a pure function: phrases, /regexes/, block and keep as Miniflux applies them.</summary>
public class ItemFilterTests
{
    private static FilterRules Rules(string json)
    {
        var (config, errors) = ConfigLoader.Parse($$"""{"filters": {{json}}, "feeds": []}""", "/tmp");
        Assert.Empty(errors);
        return config!.Filters;
    }

    private static FilterSubject Item(string title, string? text = null, string url = "https://news.example/world/1", string? author = null, params string[] categories) =>
        new(title, text, [url], author is null ? [] : [author], categories);

    [Theory]
    [InlineData("quiz", "Quiz: which capital is this?", true)]
    [InlineData("quiz", "Le QUÌZ du jour", true)]
    [InlineData("quiz", "Ten quizzes for the weekend", false)]
    [InlineData("Sponsored:", "SPONSORED:   a word from our partner", true)]
    [InlineData("Sponsored:", "Sponsored content", false)]
    [InlineData("horoscope", "Your horóscope for Tuesday", true)]
    [InlineData("ad", "Baghdad talks resume", false)]
    [InlineData("live blog", "Election live  blog, day 2", true)]
    public void APhraseMatchesWholeWordsIgnoringCaseAccentsAndSpacing(string phrase, string title, bool blocked)
    {
        var rules = Rules($$"""{"block": [{"title": "{{phrase}}"}]}""");
        Assert.Equal(blocked, ItemFilter.Evaluate(rules, null, Item(title)).Blocked);
    }

    [Fact]
    public void ARegexTakesFlags_IsCaseSensitiveWithoutI_AndRunsOnTheOriginalText()
    {
        var rules = Rules("""{"block": [{"url": "/\\/podcasts?\\//"}, {"title": "/^LIVE\\b/"}, {"author": "/desk$/i"}]}""");
        Assert.True(ItemFilter.Evaluate(rules, null, Item("Episode 4", url: "https://news.example/podcast/4")).Blocked);
        Assert.True(ItemFilter.Evaluate(rules, null, Item("LIVE: the count")).Blocked);
        Assert.False(ItemFilter.Evaluate(rules, null, Item("Live: the count")).Blocked);
        Assert.True(ItemFilter.Evaluate(rules, null, Item("Markets", author: "Wire DESK")).Blocked);
        var verdict = ItemFilter.Evaluate(rules, null, Item("LIVE: the count"));
        Assert.Equal("$.filters.block[1]", verdict.Reason);
    }

    [Fact]
    public void ARuleWithSeveralFieldsNeedsThemAll_AndAnyValueOfAListCounts()
    {
        var rules = Rules("""{"block": [{"category": "Sport", "title": "quiz"}]}""");
        Assert.True(ItemFilter.Evaluate(rules, null, Item("Football quiz", null, "https://x.org/1", null, "News", "Sport")).Blocked);
        Assert.False(ItemFilter.Evaluate(rules, null, Item("Football quiz", null, "https://x.org/1", null, "News")).Blocked);
        Assert.False(ItemFilter.Evaluate(rules, null, Item("Cup final report", null, "https://x.org/1", null, "Sport")).Blocked);
    }

    [Fact]
    public void BlockWins_KeepRulesKeepOnlyWhatTheyMatch_AndTheFeedsRulesJoinTheTopLevelOnes()
    {
        var global = Rules("""{"block": [{"title": "Sponsored:"}]}""");
        var feed = Rules("""{"keep": [{"text": "election"}, {"category": "Politics"}]}""");
        Assert.False(ItemFilter.Evaluate(global, feed, Item("Turnout", "The election drew record crowds.")).Blocked);
        Assert.False(ItemFilter.Evaluate(global, feed, Item("Budget", "Numbers.", "https://x.org/2", null, "Politics")).Blocked);
        var notKept = ItemFilter.Evaluate(global, feed, Item("Weather", "Rain later."));
        Assert.True(notKept.Blocked);
        Assert.StartsWith("no keep rule matched", notKept.Reason);
        Assert.True(ItemFilter.Evaluate(global, feed, Item("Sponsored: vote for our app", "The election app.")).Blocked);
        Assert.False(ItemFilter.Evaluate(FilterRules.None, null, Item("Anything")).Blocked);
    }

    [Fact]
    public void ThePreCheckSparesTheFetchOnlyWhenNoBodyIsNeeded()
    {
        var rules = Rules("""{"block": [{"title": "horoscope"}, {"text": "paid partnership"}], "keep": [{"text": "world"}]}""");
        Assert.True(ItemFilter.PreCheck(rules, null, Item("Daily horoscope")).Blocked);
        // The body is not known yet: neither a text block rule nor a keep rule decides.
        Assert.False(ItemFilter.PreCheck(rules, null, Item("A story", "paid partnership")).Blocked);
        Assert.False(ItemFilter.PreCheck(rules, null, Item("A story")).Blocked);
        Assert.True(ItemFilter.Evaluate(rules, null, Item("A story", "A paid partnership in the world.")).Blocked);
        var feed = Rules("""{"block": [{"text": "lottery"}, {"title": "/horoscope/i"}]}""");
        Assert.True(ItemFilter.PreCheck(FilterRules.None, feed, Item("Your horoscope for Tuesday")).Blocked);
    }

    [Fact]
    public void ACatastrophicRegexIsCutByItsTimeoutAndDoesNotBlock()
    {
        // The lookahead needs the backtracking engine; (a+)+$ on 40 a's and a '!' would run for ages.
        var rules = Rules("""{"block": [{"title": "/^(?=(a+)+$)x/"}]}""");
        var watch = Stopwatch.StartNew();
        Assert.False(ItemFilter.Evaluate(rules, null, Item(new string('a', 40) + "!")).Blocked);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
        Assert.IsType<RegexMatcher>(rules.Block[0].Conditions[0].Matcher);
    }
}
