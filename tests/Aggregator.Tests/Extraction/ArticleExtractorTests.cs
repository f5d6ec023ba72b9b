using Aggregator.Core.Configuration;
using Aggregator.Core.Extraction;
using Aggregator.Tests.Support;

namespace Aggregator.Tests.Extraction;

public class ArticleExtractorTests
{
    private static string Seed(string name) => File.ReadAllText(Repo.Seed(name));

    [Fact]
    public void SeedPageGivesExactlyTheExpectedTitleAndParagraphs()
    {
        var article = ArticleExtractor.Extract(Seed("wordpress-1.html"), new Uri("https://gulfwire.example/pages/wordpress-1.html"));
        Assert.Equal(Seed("wordpress-1.expected.txt").Trim(), $"{article.Title}\n\n{article.Text}".Trim());
        Assert.Equal("Staff Writer", article.Byline);
        Assert.Equal(new DateTimeOffset(2023, 3, 22, 8, 0, 0, TimeSpan.Zero), article.Published);
        Assert.Equal("https://gulfwire.example/world/us-and-russia-face-deep-differences-ahead-of-ukraine-talks/", article.CanonicalUrl);
    }

    [Theory]
    [InlineData("For the latest headlines")]
    [InlineData("Read more")]
    [InlineData("Continue Reading")]
    [InlineData("Click to comment")]
    [InlineData("Leave a Reply")]
    [InlineData("Your email address will not be published")]
    [InlineData("Marcos")]
    [InlineData("Explainer: Why is Russia")]
    public void SeedPageLeaksNoBoilerplateNorTheNextStory(string phrase)
    {
        var article = ArticleExtractor.Extract(Seed("wordpress-1.html"), null);
        Assert.DoesNotContain(phrase, article.Text);
        Assert.DoesNotContain(phrase, article.Html);
    }

    [Fact]
    public void AnUnpairedSurrogateInTextGivenAsAStringBecomesTheReplacementCharacter()
    {
        var paragraph = "The story goes on with commas, clauses, and enough detail to be the body of the page for a reader.";
        var html = $"<html><head><title>Story</title></head><body><article><h1>Story</h1><p>Broken \uD83D here, paired \uD83D\uDE00 there. {paragraph}</p><p>{paragraph}</p><p>{paragraph}</p></article></body></html>";
        var article = ArticleExtractor.Extract(html, null);
        Assert.Contains("Broken \uFFFD here, paired \uD83D\uDE00 there.", article.Text);
    }

    [Fact]
    public void OnAnInfiniteScrollPageTheStoryMatchingTheTitleIsChosen()
    {
        var html = """
            <html><head><title>Second story headline here | Site</title></head><body>
            <article><h1>First story that is not ours</h1><p>First paragraph of the wrong story, long enough to score as content, with commas, clauses, and detail.</p><p>More of the wrong story, which keeps going for a while to look like an article body.</p></article>
            <article><h1>Second story headline here</h1><p>The right story begins here, and it has commas, details, and a reasonable length to score.</p><p>It continues with a second paragraph that belongs to the right story as well.</p></article>
            </body></html>
            """;
        var article = ArticleExtractor.Extract(html, null);
        Assert.StartsWith("The right story begins here", article.Text);
        Assert.DoesNotContain("wrong story", article.Text);
    }

    [Fact]
    public void ScriptRenderedPageFallsBackToJsonLdArticleBody()
    {
        var body = string.Join("\n", Enumerable.Range(1, 8).Select(i => $"Paragraph {i} of the real story, told in full with enough words to matter for the reader here."));
        var html = $$"""
            <html><head><title>Story</title><script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"Story","articleBody":{{System.Text.Json.JsonSerializer.Serialize(body)}}}</script></head>
            <body><div id="app"><h1>Story</h1><p>Paragraph 1 of the real story…</p><noscript>Enable JavaScript</noscript></div></body></html>
            """;
        var article = ArticleExtractor.Extract(html, null);
        Assert.Equal(8, article.Text.Split("\n\n").Length);
        Assert.EndsWith("Paragraph 8 of the real story, told in full with enough words to matter for the reader here.", article.Text);
    }

    [Fact]
    public void SiteRulesChooseTheBodyAndStripSelectorsAndPhrases()
    {
        var html = """
            <html><body><div class="wrapper"><div class="lede"><p>Lede paragraph, which is long enough, with commas, to look like content, but is outside the body.</p></div>
            <div class="text"><p>Kept paragraph one, with real words.</p><div class="promo"><p>Buy our app now, it is great, really great, truly.</p></div>
            <p>SPONSORED: a paid message.</p><p>Kept paragraph two.</p><p>Tip us off at tips@example.org</p></div></div></body></html>
            """;
        var rules = new SiteRules("div.text", [".promo"], ["SPONSORED:", "/^tip us off/"]);
        var article = ArticleExtractor.Extract(html, null, rules);
        Assert.Equal("Kept paragraph one, with real words.\n\nKept paragraph two.", article.Text);
    }

    [Fact]
    public void HtmlIsSanitisedAndLinksMadeAbsolute()
    {
        var html = """
            <html><body><article><p>Hello <a href="/about" onclick="steal()">about</a> and <a href="javascript:alert(1)">bad</a>, with commas, words, and more words to look real.</p>
            <p style="color:red">Second <img src="/i.png" onerror="x()"> <script>alert(1)</script> paragraph with enough words to count as body text.</p></article></body></html>
            """;
        var article = ArticleExtractor.Extract(html, new Uri("https://news.example/a/b.html"));
        Assert.Contains("href=\"https://news.example/about\"", article.Html);
        Assert.DoesNotContain("javascript:", article.Html);
        Assert.DoesNotContain("onclick", article.Html);
        Assert.DoesNotContain("onerror", article.Html);
        Assert.DoesNotContain("<script", article.Html);
        Assert.DoesNotContain("style=", article.Html);
        Assert.Contains("src=\"https://news.example/i.png\"", article.Html);
    }

    [Fact]
    public void BlocksAreSeparatedByOneBlankLineNeverGlued()
    {
        var html = "<html><body><article><h2>Heading</h2><p>One.</p><ul><li>Item a</li><li>Item b</li></ul><div>Loose text<br>after a break</div><blockquote>Quote</blockquote></article></body></html>";
        var article = ArticleExtractor.Extract(html, null);
        Assert.Equal("Heading\n\nOne.\n\nItem a\n\nItem b\n\nLoose text\n\nafter a break\n\nQuote", article.Text);
    }

    /// <summary>
    /// The body is built as nodes and sanitised in place, never serialised and parsed again: what is
    /// served must still read as a parser would have read it (no doubled line feed after &lt;pre&gt;,
    /// list items grouped, unpaired surrogates in attributes replaced) and stay safe.
    /// </summary>
    [Fact]
    public void BodyHtmlIsBuiltAsAParserWouldReadIt()
    {
        var html = "<html><body><article><p>Opening paragraph of the story, with commas, words, and more words, long enough to count as body text here.</p>"
            + "<pre>\nfirst line of code\nsecond line of code</pre><ul><li>Item a</li><li>Item b</li></ul>"
            + "<p>An image <img src=\"/i.png\" alt=\"broken \uD800 alt\"> and a <a href=\"javascript:alert(1)\" onclick=\"x()\">bad link</a>, in a paragraph long enough to count as body text.</p></article></body></html>";
        var article = ArticleExtractor.Extract(html, new Uri("https://news.example/a/b.html"));
        Assert.Contains("<pre>first line of code\nsecond line of code</pre>", article.Html);
        Assert.Contains("<ul><li>Item a</li><li>Item b</li></ul>", article.Html);
        Assert.Contains("<img src=\"https://news.example/i.png\" alt=\"broken \uFFFD alt\">", article.Html);
        Assert.DoesNotContain('\uD800', article.Html);
        Assert.DoesNotContain("javascript:", article.Html);
        Assert.DoesNotContain("onclick", article.Html);
        Assert.Contains("<a rel=\"nofollow noopener noreferrer\">bad link</a>", article.Html);
    }

    /// <summary>Parsers are reused per thread and the sanitiser is shared: extraction in parallel gives what it gives one page at a time.</summary>
    [Fact]
    public void ParallelExtractionGivesTheSameResultsAsOneAtATime()
    {
        var pages = Directory.EnumerateFiles(Path.Combine(Repo.Root, "samples", "site"), "*.html", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(pages);
        var htmls = pages.Select(File.ReadAllText).ToList();
        string Run(int i)
        {
            var a = ArticleExtractor.Extract(htmls[i], new Uri("http://demo.example/" + Path.GetFileName(pages[i])));
            return $"{a.Title}\n{a.Text}\n{a.Html}\n{a.ExtractedBy}";
        }
        var sequential = Enumerable.Range(0, htmls.Count).Select(Run).ToList();
        var parallel = new string[htmls.Count * 4];
        Parallel.For(0, parallel.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => parallel[i] = Run(i % htmls.Count));
        for (var i = 0; i < parallel.Length; i++) Assert.Equal(sequential[i % htmls.Count], parallel[i]);
    }

    [Fact]
    public void HostileMarkupIsBoundedAndDoesNotThrow()
    {
        var deep = string.Concat(Enumerable.Repeat("<div>", 100_000)) + "deep" + string.Concat(Enumerable.Repeat("</div>", 100_000));
        var brs = "<html><body><p>" + string.Concat(Enumerable.Repeat("<br>", 400_000)) + "</p></body></html>";
        Assert.NotNull(ArticleExtractor.Extract(deep, null));
        Assert.NotNull(ArticleExtractor.Extract(brs, null));
    }

    public static TheoryData<string> SamplePages() => new(Directory.EnumerateFiles(Path.Combine(Repo.Root, "samples", "site"), "*", SearchOption.AllDirectories)
        .Where(f => Path.GetExtension(f) is not (".xml" or ".json" or ".svg"))
        .Select(f => Path.GetRelativePath(Path.Combine(Repo.Root, "samples", "site"), f)).Order());

    [Theory]
    [MemberData(nameof(SamplePages))]
    public void DemoSamplePagesMatchTheirGoldenText(string page)
    {
        var html = File.ReadAllText(Path.Combine(Repo.Root, "samples", "site", page));
        var article = ArticleExtractor.Extract(html, new Uri("http://demo.example/" + page));
        Golden.Assert("samples/" + page.Replace('/', '_') + ".txt", $"{article.Title}\n\n{article.Text}\n");
    }

    public static TheoryData<string> Cases() =>
        [.. Directory.GetDirectories(Path.Combine(AppContext.BaseDirectory, "TestData", "golden", "extraction")).Select(d => Path.GetFileName(d)!).Order()];

    /// <summary>
    /// One folder per case under TestData/golden/extraction: source.html (and learned.txt, lines the
    /// site's learned boilerplate holds) → expected.txt (title, blank line, text), expected.html,
    /// expected.meta.json. Each bug fixed in extraction gets a folder.
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void ExtractionCasesMatchTheirGoldenFiles(string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "TestData", "golden", "extraction", name);
        var learnedFile = Path.Combine(folder, "learned.txt");
        var learned = File.Exists(learnedFile) ? File.ReadAllLines(learnedFile).Where(l => l.Length > 0).Select(LearnedBoilerplate.Fingerprint).ToHashSet() : null;
        var article = ArticleExtractor.Extract(File.ReadAllText(Path.Combine(folder, "source.html")), new Uri($"https://news.example/{name}"), null, learned);
        Golden.Assert($"extraction/{name}/expected.txt", $"{article.Title}\n\n{article.Text}\n");
        Golden.Assert($"extraction/{name}/expected.html", article.Html + "\n");
        Golden.Assert($"extraction/{name}/expected.meta.json", System.Text.Json.JsonSerializer.Serialize(
            new { article.Title, article.Byline, article.Published, article.Language, article.CanonicalUrl, article.ImageUrl, article.ExtractedBy },
            new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");
    }
}
