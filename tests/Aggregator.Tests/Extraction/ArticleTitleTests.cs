using Aggregator.Core.Extraction;

namespace Aggregator.Tests.Extraction;

public class ArticleTitleTests
{
    private static string? Title(string head, string body = "") =>
        ArticleExtractor.Extract($"<html><head>{head}</head><body>{body}<article><p>{string.Join(' ', Enumerable.Repeat("Body text of the story.", 30))}</p></article></body></html>", null).Title;

    [Theory]
    [InlineData("<title>Obama admits US gun laws are his biggest frustration - BBC News</title>", "Obama admits US gun laws are his biggest frustration")]
    [InlineData("<title>Lorem ipsum dolor sit amet – My website</title>", "Lorem ipsum dolor sit amet")]
    [InlineData("<title>Mozilla - Wikipedia</title>", "Mozilla - Wikipedia")] // too short once cut: the whole title stays
    [InlineData("<title>News » World » Floods close the coast road</title>", "News » World » Floods close the coast road")] // breadcrumbs first: nothing safe to cut
    [InlineData("<title>Site: A headline that is long enough here</title>", "A headline that is long enough here")]
    public void TheTitleElementLosesTheSiteNameWhenAHeadlineRemains(string head, string expected) => Assert.Equal(expected, Title(head));

    [Fact]
    public void MetadataOutranksTheTitleElementInOrderOfAuthority()
    {
        Assert.Equal("Dublin Core", Title("<title>T - S</title><meta property=\"og:title\" content=\"Open Graph\"><meta name=\"dc.title\" content=\"Dublin Core\">"));
        Assert.Equal("Open Graph", Title("<title>T - S</title><meta name=\"twitter:title\" content=\"Twitter\"><meta property=\"og:title\" content=\"Open Graph\">"));
        Assert.Equal("Preferred", Title("<meta property=\"twitter:title og:title\" content=\"Preferred\"><title>Title Element</title>"));
    }

    [Fact]
    public void JsonLdNameOrHeadlineComesFirst()
    {
        const string ld = """<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","name":"The name","headline":"Rivers rise across the north"}</script>""";
        // The headline matches the <title>, the name does not: the headline wins.
        Assert.Equal("Rivers rise across the north", Title(ld + "<title>Rivers rise across the north | Gazette</title><meta property=\"og:title\" content=\"OG\">"));
        Assert.Equal("The name", Title(ld + "<title>Something else entirely</title>"));
    }
}
