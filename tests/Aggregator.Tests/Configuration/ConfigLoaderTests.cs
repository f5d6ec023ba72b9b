using Aggregator.Core.Configuration;
using Aggregator.Tests.Support;

namespace Aggregator.Tests.Configuration;

public class ConfigLoaderTests
{
    private static IReadOnlyList<ConfigError> Errors(string json) => ConfigLoader.Parse(json, "/tmp").Errors;

    [Fact]
    public void ShippedFeedsJsonValidatesWithAtLeastEightWorldFeeds()
    {
        var config = ConfigLoader.Load(Path.Combine(Repo.Root, "feeds.json"));
        var world = config.Feeds.Where(f => f.Category == "World").ToList();
        Assert.True(world.Count >= 8, $"only {world.Count} World feeds");
        Assert.All(world, f => Assert.Equal(Uri.UriSchemeHttps, f.Url.Scheme));
        Assert.False(config.Http.AllowPrivateNetworks);
    }

    [Fact]
    public void DemoFeedsJsonValidates()
    {
        var json = File.ReadAllText(Path.Combine(Repo.Root, "samples", "feeds.demo.json")).Replace("{{site}}", "http://127.0.0.1:1");
        Assert.Empty(ConfigLoader.Parse(json, "/tmp").Errors);
    }

    [Fact]
    public void MinimalFeedGetsEveryDefault()
    {
        var (config, errors) = ConfigLoader.Parse("""{"feeds":[{"id":"a","url":"https://example.org/rss"}]}""", "/srv/agg");
        Assert.Empty(errors);
        var feed = Assert.Single(config!.Feeds);
        Assert.Equal("World", feed.Category);
        Assert.True(feed.FullText);
        Assert.Equal(TimeSpan.FromMinutes(15), config.IntervalOf(feed));
        Assert.Equal("/srv/agg/data/aggregator.db", config.Storage.Path);
        Assert.Equal(TimeSpan.FromSeconds(20), config.Http.Timeout);
        Assert.Equal(10 * 1024 * 1024, config.Http.MaxResponseBytes);
        Assert.Equal(8, config.Schedule.MaxConcurrentFetches);
    }

    [Theory]
    [InlineData("""{"feeds":[{"id":"a","url":"https://x.org/","titel":"typo"}]}""", "$.feeds[0].titel", "unknown field")]
    [InlineData("""{"feeds":[{"id":"a","url":"https://x.org/"}],"htp":{}}""", "$.htp", "unknown field")]
    [InlineData("""{"feeds":[{"id":"a","url":"not a url"}]}""", "$.feeds[0].url", "\"not a url\" is not an absolute http or https URL")]
    [InlineData("""{"feeds":[{"id":"a","url":"file:///etc/passwd"}]}""", "$.feeds[0].url", "not an absolute http or https URL")]
    [InlineData("""{"feeds":[{"id":"a","url":"https://x.org/","interval":"10 minutes"}]}""", "$.feeds[0].interval", "\"10 minutes\" is not a duration")]
    [InlineData("""{"feeds":[{"id":"a","url":"https://x.org/","interval":"00:00:05"}]}""", "$.feeds[0].interval", "out of range")]
    [InlineData("""{"feeds":[{"url":"https://x.org/"}]}""", "$.feeds[0].id", "is required")]
    [InlineData("""{"feeds":[{"id":"a","url":"https://x.org/"},{"id":"a","url":"https://y.org/"}]}""", "$.feeds[1].id", "duplicate id \"a\"")]
    [InlineData("""{"feeds":[{"id":"a","url":"https://x.org/","fullText":"yes"}]}""", "$.feeds[0].fullText", "expected true or false")]
    [InlineData("""{"schedule":{"maxConcurrentFetches":0},"feeds":[]}""", "$.schedule.maxConcurrentFetches", "out of range")]
    [InlineData("""{"schedule":{"checkinInterval":"00:00:00"},"feeds":[]}""", "$.schedule.checkinInterval", "out of range")]
    [InlineData("""{"feeds":[{"id":"a","url":"https://x.org/","site":{"strip":["div[["]}}]}""", "$.feeds[0].site.strip[0]", "not a valid CSS selector")]
    [InlineData("""{"feeds":[{"id":"a","url":"https://x.org/","site":{"stripText":["/(unclosed/"]}}]}""", "$.feeds[0].site.stripText[0]", "not a valid regular expression")]
    [InlineData("""{"feeds":{"id":"a"}}""", "$.feeds", "expected an array")]
    [InlineData("""{"feeds": [ }""", "$", "not valid JSON")]
    public void ProblemsNameTheJsonPathAndTheValue(string json, string path, string message)
    {
        var errors = Errors(json);
        Assert.Contains(errors, e => e.Path == path && e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void EveryProblemIsReportedNotJustTheFirst()
    {
        var errors = Errors("""{"feeds":[{"id":"A B","url":"ftp://x"},{"id":"ok","url":"https://x.org/","interval":"x"}]}""");
        Assert.Equal(3, errors.Count);
    }

    [Fact]
    public void LoadThrowsWithFileNameAndEveryError()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("feeds.json"), """{"feeds":[{"id":"a","url":"x"}],"bogus":1}""");
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load(dir.File("feeds.json")));
        Assert.Equal(2, e.Errors.Count);
        Assert.Contains("$.bogus", e.Message);
    }

    [Theory]
    [InlineData("""{"storage":{"path":"data/a\u0000b.db"}}""", "$.storage.path", "control characters")]
    [InlineData("""{"storage":{"path":"/etc"}}""", "$.storage.path", "is a folder")]
    [InlineData("""{"storage":{"path":"/etc/passwd/x.db"}}""", "$.storage.path", "is a file, not a folder")]
    [InlineData("""{"storage":{"backupDir":"/etc/passwd"}}""", "$.storage.backupDir", "is a file, not a folder")]
    [InlineData("""{"storage":{"backupDir":"b\nx"}}""", "$.storage.backupDir", "control characters")]
    [InlineData("""{"storage":{"backupDir":""}}""", "$.storage.backupDir", "non-empty string")]
    [InlineData("""{"storage":{"provider":"mysql"}}""", "$.storage.provider", "must be \"litedb\" or \"postgres\", not \"mysql\"")]
    [InlineData("""{"storage":{"provider":"postgres"}}""", "$.storage.connectionString", "is required when storage.provider is \"postgres\"")]
    [InlineData("""{"storage":{"provider":"postgres","connectionString":"Host=db;Bogus Key=1"}}""", "$.storage.connectionString", "not a valid PostgreSQL connection string")]
    [InlineData("""{"storage":{"provider":"postgres","connectionString":"Database=x"}}""", "$.storage.connectionString", "no Host")]
    [InlineData("""{"storage":{"connectionString":"Host=db"}}""", "$.storage.connectionString", "only for storage.provider \"postgres\"")]
    [InlineData("""{"storage":{"provider":"postgres","connectionString":"Host=db","nodeId":"node one"}}""", "$.storage.nodeId", "must be 1-64 letters")]
    public void StoragePathsThatCannotWorkAreNamedWithTheirJsonPath(string storage, string path, string message)
    {
        var error = Assert.Single(Errors(storage[..^1] + ""","feeds":[]}"""));
        Assert.Equal(path, error.Path);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void BackupsGoToTheDatabaseFolderUnlessConfigured()
    {
        var (config, _) = ConfigLoader.Parse("""{"storage":{"path":"db/x.db"},"feeds":[]}""", "/srv/agg");
        Assert.Equal("/srv/agg/db", config!.Storage.BackupDir);
        (config, _) = ConfigLoader.Parse("""{"storage":{"backupDir":"../backups"},"feeds":[]}""", "/srv/agg");
        Assert.Equal("/srv/backups", config!.Storage.BackupDir);
    }

    [Fact]
    public void PostgresNeedsOnlyItsConnectionStringAndNamesTheNode()
    {
        var (config, errors) = ConfigLoader.Parse("""{"storage":{"provider":"postgres","connectionString":"Host=db;Database=agg;Password=secret","nodeId":"node-1"},"feeds":[]}""", "/srv/agg");
        Assert.Empty(errors);
        Assert.True(config!.Storage.IsPostgres);
        Assert.Equal("Host=db;Database=agg;Password=secret", config.Storage.ConnectionString);
        Assert.Equal("node-1", config.Storage.NodeId);
        Assert.DoesNotContain("secret", config.Storage.ToString());
        (config, _) = ConfigLoader.Parse("""{"feeds":[]}""", "/srv/agg");
        Assert.Equal(("litedb", null), (config!.Storage.Provider, config.Storage.ConnectionString));
        Assert.False(string.IsNullOrEmpty(config.Storage.NodeId));
    }
}

/// <summary><c>filters</c> and <c>feeds[].http</c> (issue 16): every problem named by its JSON path.</summary>
public class FilterAndFeedHttpConfigTests
{
    private static IReadOnlyList<ConfigError> Errors(string json) => ConfigLoader.Parse(json, "/tmp").Errors;

    [Theory]
    [InlineData("""{"filters":{"block":[{"title":"a"},{"url":"b"},{"title":"/[unclosed/"}]},"feeds":[]}""", "$.filters.block[2].title", "is not a valid regular expression")]
    [InlineData("""{"filters":{"block":[{"titel":"a"}]},"feeds":[]}""", "$.filters.block[0].titel", "unknown field")]
    [InlineData("""{"filters":{"block":[{}]},"feeds":[]}""", "$.filters.block[0]", "names at least one of title, text, url, author, category")]
    [InlineData("""{"filters":{"keep":[{"text":""}]},"feeds":[]}""", "$.filters.keep[0].text", "expected a non-empty string")]
    [InlineData("""{"filters":{"allow":[]},"feeds":[]}""", "$.filters.allow", "unknown field")]
    [InlineData("""{"filters":{"block":"Sponsored"},"feeds":[]}""", "$.filters.block", "expected an array")]
    [InlineData("""{"feeds":[{"id":"a","url":"https://x.org/","filters":{"keep":[{"category":"/(?<x/"}]}}]}""", "$.feeds[0].filters.keep[0].category", "not a valid regular expression")]
    [InlineData("""{"feeds":[{"id":"a","url":"https://x.org/","http":{"headers":{"Host":"evil.example"}}}]}""", "$.feeds[0].http.headers.Host", "is not an allowed header")]
    [InlineData("""{"feeds":[{"id":"a","url":"https://x.org/","http":{"headers":{"Connection":"close"}}}]}""", "$.feeds[0].http.headers.Connection", "hop-by-hop")]
    [InlineData("""{"feeds":[{"id":"a","url":"https://x.org/","http":{"headers":{"Authorization":"Bearer x"}}}]}""", "$.feeds[0].http.headers.Authorization", "use http.basicAuth")]
    [InlineData("""{"feeds":[{"id":"a","url":"https://x.org/","http":{"headers":{"Referer":"https://x.org/\r\nHost: y"}}}]}""", "$.feeds[0].http.headers.Referer", "printable ASCII on one line")]
    [InlineData("""{"feeds":[{"id":"a","url":"https://x.org/","http":{"basicAuth":{"user":"u","passwordEnv":"AGGREGATOR_TEST_NO_SUCH_VARIABLE"}}}]}""", "$.feeds[0].http.basicAuth.passwordEnv", "AGGREGATOR_TEST_NO_SUCH_VARIABLE is not set")]
    [InlineData("""{"feeds":[{"id":"a","url":"https://x.org/","http":{"basicAuth":{"user":"u","password":"hunter2"}}}]}""", "$.feeds[0].http.basicAuth.password", "unknown field")]
    [InlineData("""{"feeds":[{"id":"a","url":"https://x.org/","http":{"basicAuth":{"passwordEnv":"PATH"}}}]}""", "$.feeds[0].http.basicAuth.user", "is required")]
    [InlineData("""{"feeds":[{"id":"a","url":"https://x.org/","http":{"proxy":"http://p"}}]}""", "$.feeds[0].http.proxy", "unknown field")]
    public void ProblemsNameTheJsonPath(string json, string path, string message)
    {
        var errors = Errors(json);
        Assert.Contains(errors, e => e.Path == path && e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void ValidSettingsLoad_AndThePasswordAndCookieNeverShowInToString()
    {
        Environment.SetEnvironmentVariable("AGGREGATOR_TEST_FEED_PASSWORD", "s3cret-pass");
        var (config, errors) = ConfigLoader.Parse("""
            {"filters": {"block": [{"title": "Sponsored:"}]},
             "feeds": [{"id": "a", "url": "https://x.org/rss",
                        "filters": {"keep": [{"category": "World", "text": "/elect(ion|ed)/i"}]},
                        "http": {"userAgent": "Mozilla/5.0 (compatible; Test)", "headers": {"accept-language": "de-DE"},
                                 "basicAuth": {"user": "reader", "passwordEnv": "AGGREGATOR_TEST_FEED_PASSWORD"}, "cookie": "session=c00kie-value"}}]}
            """, "/tmp");
        Assert.Empty(errors);
        var feed = config!.Feeds[0];
        Assert.Single(config.Filters.Block);
        Assert.Equal(2, feed.Filters!.Keep[0].Conditions.Count);
        Assert.Equal("de-DE", feed.Http!.Headers["Accept-Language"]);
        Assert.Equal("s3cret-pass", feed.Http.BasicAuth!.Password);
        var printed = feed.ToString() + config;
        Assert.DoesNotContain("s3cret-pass", printed);
        Assert.DoesNotContain("c00kie-value", printed);
        Assert.Contains("AGGREGATOR_TEST_FEED_PASSWORD", printed);
    }
}
