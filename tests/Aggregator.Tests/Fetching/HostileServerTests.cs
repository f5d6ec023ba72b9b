using System.IO.Compression;
using System.Text;
using Aggregator.Core.Configuration;
using Aggregator.Core.Fetching;
using Aggregator.Core.Storage;
using Aggregator.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace Aggregator.Tests.Fetching;

/// <summary>
/// Hostile servers and inputs, each contained to the feed or article concerned, quickly and with
/// the right error class. The loopback server itself is allowed (allowLoopback); every other
/// private or reserved address is refused before any packet is sent.
/// </summary>
public class HostileServerTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private LoopbackServer _server = null!;
    private static readonly HttpOptions LoopbackOnly = HttpOptions.Default with { AllowLoopback = true, Timeout = TimeSpan.FromSeconds(3), MaxResponseBytes = 1024 * 1024 };

    public async Task InitializeAsync() => _server = await LoopbackServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static async Task<FetchResponse> Fetch(string url, HttpOptions? options = null)
    {
        var (owner, fetcher) = Pipelines.FetcherOnly(options ?? LoopbackOnly);
        using (owner) return await fetcher.FetchAsync(new FetchRequest(new Uri(url)), CancellationToken.None);
    }

    [Theory]
    [InlineData("http://127.0.0.1:{port}/x")]
    [InlineData("http://127.1.2.3:{port}/x")]
    [InlineData("http://2130706433:{port}/x")]
    [InlineData("http://0x7f000001:{port}/x")]
    [InlineData("http://0x7f.0.0.1:{port}/x")]
    [InlineData("http://0177.0.0.1:{port}/x")]
    [InlineData("http://[::1]:{port}/x")]
    [InlineData("http://[::ffff:127.0.0.1]:{port}/x")]
    [InlineData("http://[::ffff:7f00:1]:{port}/x")]
    [InlineData("http://localhost:{port}/x")]
    [InlineData("http://0.0.0.0:{port}/x")]
    public async Task LoopbackInEverySpellingIsRefusedWhenNotAllowed(string template)
    {
        _server.MapText("/x", "secret");
        var response = await Fetch(template.Replace("{port}", _server.BaseUrl.Port.ToString()), LoopbackOnly with { AllowLoopback = false });
        Assert.Equal(FetchError.BlockedAddress, response.Error?.Class);
        Assert.Equal(0, _server.CountRequests("/x"));
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://[fd00:ec2::254]/latest/meta-data/")]
    [InlineData("http://10.0.0.1/")]
    [InlineData("http://172.16.0.1/")]
    [InlineData("http://192.168.0.1/")]
    [InlineData("http://100.64.0.1/")]
    [InlineData("http://224.0.0.1/")]
    [InlineData("http://[fe80::1]/")]
    [InlineData("http://2852039166/")]
    public async Task PrivateTargetsBehindARedirectAreRefused(string target)
    {
        _server.Map("/go", context => { context.Response.Redirect(target); return Task.CompletedTask; });
        var response = await Fetch(_server.Url("/go").ToString());
        Assert.Equal(FetchError.BlockedAddress, response.Error?.Class);
    }

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("ftp://example.org/feed.xml")]
    [InlineData("data:text/xml,<rss/>")]
    [InlineData("javascript:alert(1)")]
    public async Task NonHttpSchemesAreRefused(string url) =>
        Assert.Equal(FetchError.BadScheme, (await Fetch(url)).Error?.Class);

    [Fact]
    public async Task BrotliAndDeflateBombsStopAtTheDecodedCap()
    {
        var zeros = new byte[64 * 1024 * 1024];
        foreach (var (encoding, compress) in new (string, Func<Stream, Stream>)[]
        {
            ("br", s => new BrotliStream(s, CompressionLevel.Optimal, leaveOpen: true)),
            ("deflate", s => new ZLibStream(s, CompressionLevel.Optimal, leaveOpen: true)),
            ("gzip", s => new GZipStream(s, CompressionLevel.Optimal, leaveOpen: true)),
        })
        {
            using var packed = new MemoryStream();
            using (var z = compress(packed)) z.Write(zeros);
            var body = packed.ToArray();
            _server.Map($"/bomb-{encoding}", async context =>
            {
                context.Response.Headers.ContentEncoding = encoding;
                await context.Response.Body.WriteAsync(body);
            });
            var before = GC.GetTotalAllocatedBytes(precise: true);
            var response = await Fetch(_server.Url($"/bomb-{encoding}").ToString());
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
            Assert.Equal(FetchError.TooLarge, response.Error?.Class);
            output.WriteLine($"{encoding} bomb: {body.Length / 1024} KiB on the wire, {zeros.Length / 1024 / 1024} MiB decoded, {allocated / 1024.0 / 1024.0:N1} MiB allocated by the fetch");
            Assert.True(allocated < 50L * 1024 * 1024, $"{encoding}: {allocated / 1024 / 1024} MiB allocated for a {body.Length / 1024} KiB bomb");
        }
    }

    [Fact]
    public async Task OneBytePerSecondHitsTheTotalDeadline()
    {
        // The drip would last 60 s. The fetch must give up at its 2 s deadline and drop the
        // connection: the server's loop sees the abort after a handful of bytes. The time bound is
        // loose on purpose (a loaded CI machine stretches every await), yet far below the 60 s a
        // fetch without a total deadline would take.
        var written = 0;
        var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Map("/drip", async context =>
        {
            try
            {
                for (var i = 0; i < 60; i++)
                {
                    await context.Response.Body.WriteAsync("<"u8.ToArray(), context.RequestAborted);
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                    Interlocked.Increment(ref written);
                    await Task.Delay(1000, context.RequestAborted);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException) { }
            finally { aborted.TrySetResult(); }
        });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var response = await Fetch(_server.Url("/drip").ToString(), LoopbackOnly with { Timeout = TimeSpan.FromSeconds(2) });
        Assert.Equal(FetchError.Timeout, response.Error?.Class);
        Assert.Contains("within 2 s", response.Error!.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        await aborted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.InRange(Volatile.Read(ref written), 1, 20);
    }

    [Fact]
    public async Task LongRedirectChainsStopAtFive()
    {
        for (var i = 0; i < 8; i++)
        {
            var next = i + 1;
            _server.Map($"/chain{i}", context => { context.Response.Redirect($"/chain{next}"); return Task.CompletedTask; });
        }
        Assert.Equal(FetchError.TooManyRedirects, (await Fetch(_server.Url("/chain0").ToString())).Error?.Class);
        Assert.Equal(0, _server.CountRequests("/chain6"));
    }

    [Fact]
    public async Task HostileFeedAndPagesLoseNothingElse()
    {
        var deep = string.Concat(Enumerable.Repeat("&lt;div&gt;", 100_000));
        var brs = string.Concat(Enumerable.Repeat("&lt;br&gt;", 200_000));
        _server.MapText("/hostile.xml", $$"""
            <?xml version="1.0"?>
            <!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
            <rss version="2.0"><channel><title>Hostile &xxe;&b;</title>
            <item><title>Metadata link</title><link>http://169.254.169.254/latest/meta-data/</link><guid>m</guid><description>Kept from the feed.</description></item>
            <item><title>Script link</title><link>javascript:alert(document.cookie)</link><guid>j</guid><description>&lt;a href="javascript:alert(1)"&gt;click&lt;/a&gt; text</description></item>
            <item><title>PDF</title><link>{base}/paper.pdf</link><guid>p</guid><description>A paper.</description></item>
            <item><title>Deep</title><link>{base}/deep</link><guid>d</guid><description>{{deep}}deep text</description></item>
            <item><title>Breaks</title><link>{base}/breaks</link><guid>b</guid><description>{{brs}}after breaks</description></item>
            <item><title>Far future</title><link>{base}/future</link><guid>f</guid><pubDate>Fri, 31 Dec 9999 23:59:59 GMT</pubDate><description>From the future.</description></item>
            </channel></rss>
            """, "application/rss+xml");
        _server.MapBytes("/paper.pdf", Encoding.ASCII.GetBytes("%PDF-1.4 not html"), "application/pdf");
        _server.MapText("/deep", "<html><body>" + string.Concat(Enumerable.Repeat("<div>", 100_000)) + "<p>Deep page text.</p></body></html>");
        _server.MapText("/breaks", "<html><body><p>" + string.Concat(Enumerable.Repeat("<br>", 500_000)) + "Broken page text.</p></body></html>");
        _server.MapText("/future", "<html><body><article><p>The future story is here, with enough words to count as a paragraph of text.</p></article></body></html>");

        using var dir = new TempDirectory();
        var feed = TestConfigs.Feed("hostile", _server.Url("/hostile.xml"));
        var config = TestConfigs.For(dir.File("a.db"), feed);
        using var store = StoryStore.Open(config.Storage.Path, TimeProvider.System);
        using var pipelines = new Pipelines(config, store);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var summary = await pipelines.Ingestor.IngestAsync(feed, CancellationToken.None);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");

        Assert.Equal(6, summary.New);
        var stories = store.QueryStories(new StoryQuery(50)).Items;
        Assert.All(stories, s => Assert.DoesNotContain("root:", s.Text + s.Html + s.Title));
        Assert.All(stories, s => Assert.DoesNotContain("javascript:", (s.Html ?? "") + s.Url));
        Assert.Equal("Kept from the feed.", stories.Single(s => s.Title == "Metadata link").Text);
        Assert.Null(stories.Single(s => s.Title == "Script link").Url);
        Assert.Equal("A paper.", stories.Single(s => s.Title == "PDF").Text);
        Assert.True(stories.Single(s => s.Title == "Far future").Published <= DateTime.UtcNow);
        Assert.DoesNotContain(_server.Requests, r => r.Path.Contains("meta-data", StringComparison.Ordinal));
    }
}
