using Aggregator.Core.Configuration;

namespace Aggregator.Tests.Support;

/// <summary>Configurations pointing at loopback servers (which need allowLoopback).</summary>
public static class TestConfigs
{
    public static AggregatorConfig For(string databasePath, params FeedConfig[] feeds) => new(
        new StorageOptions(databasePath),
        HttpOptions.Default with { AllowLoopback = true, Timeout = TimeSpan.FromSeconds(5) },
        new ScheduleOptions(TimeSpan.FromHours(1), 4),
        new OutputOptions("Test News", new Uri("http://localhost:5080"), 100),
        new ApiOptions(null),
        feeds);

    public static FeedConfig Feed(string id, Uri url, bool fullText = true, SiteRules? site = null, string category = "World", string? title = null) =>
        new(id, url, category, title ?? id, null, fullText, site);
}
