using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Aggregator.Core.Pipeline;

/// <summary>
/// The pipeline's metrics (System.Diagnostics.Metrics, meter "Aggregator"); the host exports them
/// for Prometheus at <c>/metrics</c> through OpenTelemetry.
/// </summary>
public static class PipelineMetrics
{
    public const string MeterName = "Aggregator";
    private static readonly Meter Meter = new(MeterName, "1.0");

    private static readonly Counter<long> Fetches = Meter.CreateCounter<long>("aggregator.fetches", "{fetch}", "HTTP fetches by kind (feed, article) and outcome (ok, not-modified, or the error class)");
    private static readonly Histogram<double> FetchDuration = Meter.CreateHistogram<double>("aggregator.fetch.duration", "s", "Duration of feed and article fetches");
    private static readonly Histogram<double> ExtractionDuration = Meter.CreateHistogram<double>("aggregator.extraction.duration", "s", "Duration of article extraction (parse, locate, clean, sanitise)");
    private static readonly Counter<long> StoriesCreated = Meter.CreateCounter<long>("aggregator.stories.created", "{story}", "New stories stored");
    private static readonly Counter<long> Merges = Meter.CreateCounter<long>("aggregator.merges", "{source}", "Sources that joined an existing story, by how they matched");
    private static readonly Counter<long> FeedErrors = Meter.CreateCounter<long>("aggregator.feed.errors", "{poll}", "Feed polls that failed, by error class");

    public static void Fetched(string kind, string outcome, TimeSpan elapsed)
    {
        var tags = new TagList { { "kind", kind }, { "outcome", outcome } };
        Fetches.Add(1, tags);
        FetchDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("kind", kind));
    }

    private static readonly Counter<long> Extractions = Meter.CreateCounter<long>("aggregator.extractions", "{page}", "Article pages extracted, by the detection path that won (rules, readability, jsonld, baseline) or failed");

    public static void Extracted(TimeSpan elapsed, string by)
    {
        ExtractionDuration.Record(elapsed.TotalSeconds);
        Extractions.Add(1, new KeyValuePair<string, object?>("extracted_by", by));
    }

    public static void StoryCreated() => StoriesCreated.Add(1);

    /// <summary>Counts a merge by its kind: guid, url, canonical, text, similar-text.</summary>
    public static void Merged(string matchedBy) => Merges.Add(1, new KeyValuePair<string, object?>("matched_by", matchedBy.Split(' ')[0]));

    public static void FeedFailed(string errorClass) => FeedErrors.Add(1, new KeyValuePair<string, object?>("error_class", errorClass));

    private static Storage.IStoryStore? _store;

    static PipelineMetrics()
    {
        Meter.CreateObservableGauge("aggregator.stories", () => Read(s => (long)s.StoryCount), "{story}", "Stories stored");
        Meter.CreateObservableGauge("aggregator.database.size", () => Read(s => s.StorageBytes), "By", "Size of the database (LiteDB file and log, or PostgreSQL tables)");
    }

    /// <summary>The store the gauges read when scraped (stories stored, database size): the process's one store.</summary>
    public static void ObserveStore(Storage.IStoryStore store) => Volatile.Write(ref _store, store);

    private static IEnumerable<Measurement<long>> Read(Func<Storage.IStoryStore, long> read)
    {
        if (Volatile.Read(ref _store) is not { } store) return [];
        try
        {
            return [new Measurement<long>(read(store))];
        }
        catch (ObjectDisposedException)
        {
            return [];
        }
    }
}
