using System.Diagnostics;
using System.Text;
using Aggregator.Core.Extraction;

namespace Aggregator.Tests.Extraction;

/// <summary>
/// Random malformed pages through the whole extractor: invalid attribute and element names (amp-bind
/// <c>[class]</c>, Angular <c>(click)</c>, quotes, control characters), unclosed and misnested tags, deep
/// nesting, broken entities and binary garbage. Seeded, so a failure names a page that can be replayed.
/// </summary>
public class ExtractorFuzzTests
{
    private const int Pages = 3000;

    private static readonly string[] Tags = ["div", "p", "span", "article", "section", "main", "aside", "nav", "header", "footer", "h1", "h2", "ul", "li", "a",
        "table", "tr", "td", "form", "br", "img", "figure", "figcaption", "blockquote", "pre", "script", "noscript", "template", "svg", "math", "select", "option",
        "amp-img", "x:y", "1bad", "a-b_c", "frameset", "textarea", "iframe", "object"];

    private static readonly string[] AttributeNames = ["class", "id", "style", "hidden", "aria-hidden", "role", "itemprop", "data-src", "src", "href", "[class]", "[hidden]",
        "(click)", "@click", "#ref", "*ngIf", "v-on:click", "\"q\"", "a'b", "x<y", "=", "\u0001ctl", "on load", ":bind", "[text]", "xmlns:foo", "foo:bar:baz"];

    private static readonly string[] Values = ["post-content", "entry-content", "sidebar widget", "comment", "display:none", "true", "articleBody", "javascript:x()",
        "data:image/gif;base64,R0lGOD", "/img/1x1.gif", "&amp;&#xZZ;&#99999999;", "\"unterminated", "' onerror='x", "article-body share"];

    [Fact]
    public void RandomMalformedPagesNeverThrow()
    {
        var random = new Random(20261201);
        var slowest = TimeSpan.Zero;
        for (var i = 0; i < Pages; i++)
        {
            var page = Page(random, i);
            var clock = Stopwatch.StartNew();
            try
            {
                var article = i % 5 == 4
                    ? ArticleExtractor.Extract(Garbage(random, page), null, new Uri("https://fuzz.example/p/" + i))
                    : ArticleExtractor.Extract(page, i % 2 == 0 ? null : new Uri("https://fuzz.example/p/" + i));
                Assert.NotNull(article.Text);
                Assert.Contains(article.ExtractedBy, (string[])[ExtractionPath.Rules, ExtractionPath.Readability, ExtractionPath.JsonLd, ExtractionPath.Baseline]);
            }
            catch (Exception e)
            {
                Assert.Fail($"page {i} (seed 20261201) threw {e}\n{page[..Math.Min(page.Length, 2000)]}");
            }
            if (clock.Elapsed > slowest) slowest = clock.Elapsed;
        }
        // Each page is a few KB and takes milliseconds; the bound only catches a blow-up on one page
        // (quadratic or worse), with room for a loaded machine. Speed itself is the benchmark's business.
        Assert.True(slowest < TimeSpan.FromSeconds(10), $"the slowest of {Pages} pages took {slowest}");
    }

    [Fact]
    public void MarkupThatCrashesTheHtmlParserKeepsItsText()
    {
        // Found by the fuzz run (page 1289): AngleSharp's table mode throws on this; the text survives.
        var page = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "extraction-parser-crash.bin"));
        var article = ArticleExtractor.Extract(page, null, null);
        Assert.NotEqual("", article.Text);
    }

    [Fact]
    public void AmpBindAttributesOnRetaggedDivsDoNotThrow()
    {
        var html = "<html><body><div [class]=\"x ? 'a' : 'b'\" [hidden]=\"!open\" (click)=\"go()\">" +
                   string.Join(' ', Enumerable.Repeat("A sentence of the story, long enough to be scored as text.", 12)) + "</div></body></html>";
        var article = ArticleExtractor.Extract(html, null);
        Assert.StartsWith("A sentence of the story", article.Text);
    }

    private static string Page(Random random, int index)
    {
        var html = new StringBuilder("<!DOCTYPE html><html><head><title>Fuzz page ").Append(index).Append("</title>");
        if (random.Next(4) == 0) html.Append("<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"articleBody\":\"").Append(Words(random, 80)).Append("\"}</script>");
        html.Append("</head><body>");
        var depth = random.Next(50) == 0 ? 250 + random.Next(50) : random.Next(1, 12);
        var budget = depth > 50 ? depth : 40;
        Nest(random, html, depth, 0, ref budget);
        if (random.Next(3) == 0) html.Append("</div></p></article>");  // stray closers
        return html.Append(random.Next(2) == 0 ? "</body></html>" : "").ToString();
    }

    /// <summary>Random elements up to a budget of 40 per page; one page in fifty is a chain 250–300 deep (past the guard's 256).</summary>
    private static void Nest(Random random, StringBuilder html, int depth, int level, ref int budget)
    {
        var children = depth > 50 ? 1 : random.Next(1, 5);
        for (var c = 0; c < children && budget > 0; c++, budget--)
        {
            var tag = Tags[random.Next(Tags.Length)];
            html.Append('<').Append(tag);
            for (var a = random.Next(4); a > 0; a--)
            {
                html.Append(' ').Append(AttributeNames[random.Next(AttributeNames.Length)]);
                if (random.Next(5) > 0) html.Append("=\"").Append(Values[random.Next(Values.Length)]).Append('"');
            }
            html.Append(random.Next(20) == 0 ? "" : ">");
            html.Append(Words(random, random.Next(0, 40)));
            if (level < depth && (depth > 50 || random.Next(3) > 0)) Nest(random, html, depth, level + 1, ref budget);
            if (random.Next(4) > 0) html.Append("</").Append(tag).Append('>');
        }
    }

    private static string Words(Random random, int count)
    {
        string[] words = ["the", "story", "said", "minister", "on", "Tuesday", "and", "a", "very", "long", "paragraph,", "with", "commas.", "&nbsp;", "&bogus;", "<", "&", "Read more", "Share"];
        return string.Join(' ', Enumerable.Range(0, count).Select(_ => words[random.Next(words.Length)]));
    }

    /// <summary>The page's bytes with random bytes sprayed in (invalid UTF-8, NULs, control characters).</summary>
    private static byte[] Garbage(Random random, string page)
    {
        var bytes = Encoding.UTF8.GetBytes(page);
        for (var n = random.Next(1, Math.Max(2, bytes.Length / 20)); n > 0; n--) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
        return bytes;
    }
}
