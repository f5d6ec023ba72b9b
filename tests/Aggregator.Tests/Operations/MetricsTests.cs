using Aggregator.Core.Storage;
using Aggregator.Tests.Support;

namespace Aggregator.Tests.Operations;

/// <summary>
/// The store gauges read the process's one store (the last host started). Tests start many hosts in
/// one process, so this class runs alone, not beside other tests' hosts.
/// </summary>
[CollectionDefinition(nameof(MetricsTests), DisableParallelization = true)]
public class ProcessWideMetrics;

/// <summary><c>/metrics</c> in the Prometheus text format: fetches by outcome, durations, stories, errors, database size.</summary>
[Collection(nameof(MetricsTests))]
public class MetricsTests
{
    [Fact]
    public async Task ScrapeShowsFetchesStoriesErrorsAndDatabaseSize()
    {
        await using var site = await LoopbackServer.StartAsync();
        site.MapText("/feed.xml", "<rss version=\"2.0\"><channel><title>M</title><item><title>Metric story</title><link>{base}/a</link><guid>m1</guid></item></channel></rss>", "application/rss+xml");
        site.MapText("/a", "<html><head><title>Metric story</title></head><body><article><h1>Metric story</h1><p>A paragraph long enough to count as the body of this story, with a few more words.</p></article></body></html>");
        using var dir = new TempDirectory();
        var good = TestConfigs.Feed("metered", site.Url("/feed.xml"));
        var bad = TestConfigs.Feed("missing", site.Url("/missing.xml"));
        var config = TestConfigs.For(dir.File("m.db"), good, bad);
        using var store = StoryStore.Open(config.Storage.Path, TimeProvider.System);
        await using var api = await ApiHost.StartAsync(config, store);
        using var pipelines = new Pipelines(config, store);
        await pipelines.Ingestor.IngestAsync(good, CancellationToken.None);
        await pipelines.Ingestor.IngestAsync(bad, CancellationToken.None);

        var response = await api.Client.GetAsync("/metrics");
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Matches("""aggregator_fetches_total\{[^}]*kind="feed"[^}]*outcome="ok"[^}]*\} [1-9]""", text);
        Assert.Matches("""aggregator_fetches_total\{[^}]*kind="article"[^}]*outcome="ok"[^}]*\} [1-9]""", text);
        Assert.Matches("""aggregator_feed_errors_total\{[^}]*error_class="http-4xx"[^}]*\} [1-9]""", text);
        Assert.Matches("""aggregator_fetch_duration_seconds_bucket\{[^}]*kind="feed".*\} [1-9]""", text);
        Assert.Matches("""aggregator_extraction_duration_seconds_count[^\n]* [1-9]""", text);
        Assert.Matches("""aggregator_extractions_total\{[^}]*extracted_by="(readability|rules|jsonld|baseline)"[^}]*\} [1-9]""", text);
        Assert.Matches("""aggregator_stories_created_total[^\n]* [1-9]""", text);
        Assert.Matches("""aggregator_stories(\{[^}]*\})? [1-9]""", text);
        Assert.Matches("""aggregator_database_size_bytes(\{[^}]*\})? [1-9][0-9]{3,}""", text);
        Assert.DoesNotContain("X-Api-Key", text);
    }
}
