using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Aggregator.Demo;
using Aggregator.Tests.Support;

namespace Aggregator.Tests.NativeAot;

/// <summary>
/// The native-AOT build (the small-footprint install, see the README) does what the JIT build does: the same
/// extraction and parsing output byte for byte, the same stories from the demo corpus through the whole pipeline,
/// and the same answers from every endpoint. It has no reflection-based JSON and a trimmed framework, so a shape
/// or member that only reflection reached would show here. .CI/run publishes it and names it in
/// <see cref="Variable"/>; without it these tests are skipped with that reason.
/// </summary>
public sealed partial class NativeAotTests(TestPostgres postgres) : IClassFixture<TestPostgres>
{
    public const string Variable = "AGGREGATOR_TEST_AOT";

    private static string Native()
    {
        var path = Environment.GetEnvironmentVariable(Variable);
        Skip.If(string.IsNullOrEmpty(path), $"{Variable} is not set: no native-AOT build to check (.ci/run publishes one: dotnet publish src/Aggregator -r linux-x64 -p:PublishAot=true)");
        Assert.True(File.Exists(path), $"{Variable}={path}: no such file");
        return path!;
    }

    [SkippableFact]
    public async Task ExtractsEveryGoldenPageAsTheJitBuildDoes()
    {
        var native = Native();
        var pages = Directory.GetFiles(Repo.TestData("golden"), "*.html", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        Assert.True(pages.Length >= 40, $"{pages.Length} pages");
        var jit = await CliProcess.Run(["extract", .. pages], TimeSpan.FromMinutes(2));
        var aot = await CliProcess.Run(["extract", .. pages], TimeSpan.FromMinutes(2), native);
        Assert.Equal(0, jit.Exit);
        Assert.Equal(pages.Length, jit.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(jit.Exit, aot.Exit);
        Assert.Equal(jit.Stdout, aot.Stdout);
    }

    [SkippableFact]
    public async Task ParsesEveryGoldenFeedAsTheJitBuildDoes()
    {
        var native = Native();
        var feeds = Directory.GetFiles(Repo.TestData("parsing"), "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".xml", StringComparison.Ordinal) || f.EndsWith(".rss", StringComparison.Ordinal) || f.EndsWith(".atom", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).ToArray();
        Assert.True(feeds.Length >= 10, $"{feeds.Length} feeds");
        var jit = await CliProcess.Run(["parse", .. feeds], TimeSpan.FromMinutes(2));
        var aot = await CliProcess.Run(["parse", .. feeds], TimeSpan.FromMinutes(2), native);
        Assert.Equal(jit.Exit, aot.Exit);
        Assert.Contains("\"items\"", jit.Stdout);
        Assert.Equal(jit.Stdout, aot.Stdout);
    }

    [SkippableTheory]
    [InlineData("litedb")]
    [InlineData("postgres")]
    public async Task IngestsAndServesTheDemoCorpusAsTheJitBuildDoes(string provider)
    {
        var native = Native();
        await using var site = await DemoSite.StartAsync(TimeProvider.System, CancellationToken.None);
        using var dir = new TempDirectory();
        var jitConfig = WriteConfig(site, dir, "jit", provider == "postgres" ? postgres.NewSchema() : null);
        var aotConfig = WriteConfig(site, dir, "aot", provider == "postgres" ? postgres.NewSchema() : null);
        // One feed at a time, in the same order: which copy of a story arrives first decides its representative.
        foreach (var feed in site.Config(new Uri("http://localhost/")).Feeds)
        {
            var jit = await CliProcess.Run(["fetch", "--config", jitConfig, "--feed", feed.Id], TimeSpan.FromMinutes(1));
            var aot = await CliProcess.Run(["fetch", "--config", aotConfig, "--feed", feed.Id], TimeSpan.FromMinutes(1), native);
            Assert.Equal(jit.Exit, aot.Exit);
            Assert.Contains(feed.Id, Summaries(jit.Stdout));
            Assert.Equal(Summaries(jit.Stdout), Summaries(aot.Stdout));
        }

        var jitAnswers = await Answers(jitConfig, native: null);
        var aotAnswers = await Answers(aotConfig, native);
        Assert.Equal(jitAnswers.Keys, aotAnswers.Keys);
        foreach (var (path, answer) in jitAnswers)
        {
            var other = aotAnswers[path];
            var at = Enumerable.Range(0, Math.Min(answer.Length, other.Length)).FirstOrDefault(i => answer[i] != other[i], Math.Min(answer.Length, other.Length));
            Assert.True(answer == other, $"{path} differs at {at}:\n jit: …{Around(answer, at)}…\n aot: …{Around(other, at)}…");
        }
        Assert.StartsWith("200 application/json", jitAnswers["/api/stories?limit=50"], StringComparison.Ordinal);
        Assert.StartsWith("400 application/problem+json", jitAnswers["/api/stories?limit=abc"], StringComparison.Ordinal);
        Assert.Contains("\"stories\":8", jitAnswers["/health"], StringComparison.Ordinal);
    }

    /// <param name="postgres">The PostgreSQL database to store in, or null for a LiteDB file.</param>
    private static string WriteConfig(DemoSite site, TempDirectory dir, string name, string? postgres)
    {
        var feeds = site.Config(new Uri("http://localhost/")).Feeds.Select(f => new { id = f.Id, url = f.Url.ToString(), category = f.Category });
        var config = new
        {
            storage = postgres is null ? (object)new { path = dir.File($"{name}.db") } : new { provider = "postgres", connectionString = postgres, nodeId = name },
            http = new { allowLoopback = true },
            output = new { publicUrl = "http://news.example/" },
            feeds,
        };
        var path = dir.File($"{name}.json");
        File.WriteAllText(path, JsonSerializer.Serialize(config));
        return path;
    }

    /// <summary>Every endpoint's status, content type and body (times and trace ids normalised) from a serve process over one store.</summary>
    private static async Task<Dictionary<string, string>> Answers(string config, string? native)
    {
        var port = CliProcess.FreePort();
        using var service = CliProcess.StartServe(config, port, native);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await CliProcess.WaitHealthy(http, service);
            var list = JsonDocument.Parse(await http.GetStringAsync("/api/stories?limit=50")).RootElement.GetProperty("items");
            var paths = new List<string>
            {
                "/health", "/", "/feeds/world.rss", "/feeds/world.atom", "/feeds/world.json", "/api/stories?limit=50",
                "/api/stories?limit=3", "/api/stories?q=rhine", "/api/stories?q=no-such-word", "/api/stories?limit=abc", "/api/stories/0000000000000000",
                "/api/feeds", "/api/sites", "/api/opml", "/openapi/v1.json", "/api/webhooks", "/static/site.css", "/no/such/page",
            };
            foreach (var story in list.EnumerateArray())
            {
                var id = story.GetProperty("id").GetString();
                paths.Add($"/api/stories/{id}");
                paths.Add($"/stories/{id}");
            }
            var answers = new Dictionary<string, string>();
            foreach (var path in paths)
            {
                using var response = await http.GetAsync(path);
                var body = await response.Content.ReadAsStringAsync();
                answers[path] = $"{(int)response.StatusCode} {response.Content.Headers.ContentType} {Normalise(body.Replace(http.BaseAddress.ToString().TrimEnd('/'), "SERVER"))}";
            }
            using var metrics = await http.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
            Assert.Contains("aggregator_", await metrics.Content.ReadAsStringAsync());
            return answers;
        }
        finally
        {
            service.Kill(entireProcessTree: true);
            await service.WaitForExitAsync();
        }
    }

    /// <summary>What depends on the clock or the run: times (the demo corpus is dated by the clock), trace ids, cursors, durations.</summary>
    private static string Normalise(string text)
    {
        text = IsoTime().Replace(text, "TIME");
        text = HttpDate().Replace(text, "DATE");
        text = TraceId().Replace(text, "TRACE");
        text = Cursor().Replace(text, "\"nextCursor\":\"CURSOR\""); // it carries the publication time
        return Duration().Replace(text, "MS");
    }

    /// <summary>The feed's summary line of <c>fetch</c> (log lines interleave with it in no fixed order).</summary>
    private static string Summaries(string stdout) =>
        string.Join('\n', stdout.Split('\n').Where(l => l.StartsWith("  ", StringComparison.Ordinal) && !l.StartsWith("   ", StringComparison.Ordinal)).Select(Normalise));

    private static string Around(string s, int at) => s[Math.Max(0, at - 200)..Math.Min(s.Length, at + 200)];

    [GeneratedRegex(@"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?")]
    private static partial Regex IsoTime();

    [GeneratedRegex(@"(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d \w{3} \d{4} \d\d:\d\d:\d\d (GMT|[+-]\d{4})")]
    private static partial Regex HttpDate();

    [GeneratedRegex(@"00-[0-9a-f]{32}-[0-9a-f]{16}-0\d")]
    private static partial Regex TraceId();

    [GeneratedRegex("\"nextCursor\":\"[A-Za-z0-9_-]+\"")]
    private static partial Regex Cursor();

    [GeneratedRegex(@"\b\d+(\.\d+)? ?ms\b")]
    private static partial Regex Duration();
}
