using Aggregator.Core.Storage.Postgres;
using Aggregator.Tests.Support;

namespace Aggregator.Tests.Cli;

/// <summary>The binary on <c>"storage": {"provider": "postgres"}</c>: two nodes fetching at once share one database; file-only commands point to pg_dump.</summary>
public sealed class PostgresCommandTests(TestPostgres server) : IClassFixture<TestPostgres>
{
    private static readonly string Wire = string.Join(' ', Enumerable.Range(0, 90).Select(i => $"wire{i * 7 % 83}word{i}")) + ".";

    [SkippableFact]
    public async Task TwoNodesFetchingTheSameWireStoryAtOnceStoreOneStoryWithBothSources()
    {
        var database = server.NewSchema();
        await using var site = await LoopbackServer.StartAsync();
        foreach (var outlet in new[] { "north", "south" })
        {
            site.MapText($"/{outlet}.xml", $$"""
                <rss version="2.0"><channel><title>{{outlet}}</title>
                <item><title>Storm reaches the coast ({{outlet}})</title><link>{base}/{{outlet}}/storm</link><guid>{{outlet}}-1</guid><pubDate>Mon, 02 Mar 2026 09:00:00 GMT</pubDate></item>
                </channel></rss>
                """, "application/rss+xml");
            site.MapText($"/{outlet}/storm", $"""
                <html><head><title>Storm reaches the coast</title></head><body><article><h1>Storm reaches the coast</h1>
                <p>{Wire}</p><p>Reported by the {outlet} desk.</p></article></body></html>
                """);
        }
        using var dir = new TempDirectory();
        string Config(string node) => WriteConfig(dir, node, $$"""
            {"storage":{"provider":"postgres","connectionString":"{{database}}","nodeId":"{{node}}"},"http":{"allowLoopback":true},
             "feeds":[{"id":"north","url":"{{site.Url("/north.xml")}}"},{"id":"south","url":"{{site.Url("/south.xml")}}"}]}
            """);
        var runs = await Task.WhenAll(CliProcess.Run(["fetch", "--config", Config("a")]), CliProcess.Run(["fetch", "--config", Config("b")]));
        Assert.All(runs, r => Assert.True(r.Exit == 0, r.Stdout + r.Stderr));

        using var store = PostgresStoryStore.Open(database, TimeProvider.System);
        Assert.Equal(1, store.StoryCount);
        var story = Assert.Single(store.QueryStories(new Core.Storage.StoryQuery()).Items);
        Assert.Equal(["north", "south"], story.Sources.Select(s => s.FeedId).Order());
    }

    [SkippableFact]
    public async Task FileOnlyCommandsNamePgDumpAndABadConnectionStringIsAUsageError()
    {
        var database = server.NewSchema();
        using var dir = new TempDirectory();
        var config = WriteConfig(dir, "feeds", $$"""{"storage":{"provider":"postgres","connectionString":"{{database}}"},"feeds":[]}""");
        var backup = await CliProcess.Run(["backup", dir.File("x.db"), "--config", config]);
        Assert.Equal(2, backup.Exit);
        Assert.Contains("pg_dump", backup.Stderr);
        var check = await CliProcess.Run(["check", "--config", config]);
        Assert.Equal(2, check.Exit);
        Assert.Contains("pg_dump", check.Stderr);

        var missing = WriteConfig(dir, "missing", """{"storage":{"provider":"postgres"},"feeds":[]}""");
        var validate = await CliProcess.Run(["validate", "--config", missing]);
        Assert.Equal(2, validate.Exit);
        Assert.Contains("$.storage.connectionString: is required", validate.Stdout + validate.Stderr);

        var unreachable = WriteConfig(dir, "down", """{"storage":{"provider":"postgres","connectionString":"Host=127.0.0.1;Port=1;Timeout=2"},"feeds":[{"id":"a","url":"https://example.invalid/rss"}]}""");
        var fetch = await CliProcess.Run(["fetch", "--config", unreachable]);
        Assert.Equal(2, fetch.Exit);
        Assert.Contains("storage: ", fetch.Stderr);
        Assert.Contains("storage.connectionString", fetch.Stderr);
    }

    [SkippableFact]
    public async Task Migrate_AppliesOurMigrationsAndQuartzsTables_ThenSaysUpToDate()
    {
        var database = server.NewSchema();
        using var dir = new TempDirectory();
        var config = WriteConfig(dir, "feeds", $$"""{"storage":{"provider":"postgres","connectionString":"{{database}}","nodeId":"ops"},"feeds":[]}""");
        var first = await CliProcess.Run(["migrate", "--config", config]);
        Assert.True(first.Exit == 0, first.Stdout + first.Stderr);
        Assert.Contains($"schema version {PostgresSchema.Latest} (was 0;", first.Stdout);
        var second = await CliProcess.Run(["migrate", "--config", config]);
        Assert.Equal(0, second.Exit);
        Assert.Contains($"schema version {PostgresSchema.Latest}, up to date", second.Stdout);
        using var connection = new Npgsql.NpgsqlConnection(database);
        connection.Open();
        using var tables = new Npgsql.NpgsqlCommand("SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name IN ('qrtz_triggers', 'qrtz_scheduler_state', 'qrtz_locks', 'stories')", connection);
        Assert.Equal(4L, tables.ExecuteScalar());

        var unreachable = WriteConfig(dir, "down", """{"storage":{"provider":"postgres","connectionString":"Host=127.0.0.1;Port=1;Timeout=2"},"feeds":[]}""");
        var down = await CliProcess.Run(["migrate", "--config", unreachable]);
        Assert.Equal(2, down.Exit);
        Assert.Contains("storage.connectionString", down.Stderr);
    }

    [Fact]
    public async Task Migrate_OnLiteDb_HasNothingToDo()
    {
        using var dir = new TempDirectory();
        var config = WriteConfig(dir, "feeds", """{"storage":{"path":"data/a.db"},"feeds":[]}""");
        var run = await CliProcess.Run(["migrate", "--config", config]);
        Assert.True(run.Exit == 0, run.Stdout + run.Stderr);
        Assert.Contains("nothing to migrate", run.Stdout);
        Assert.False(File.Exists(dir.File("data/a.db")));
    }

    private static string WriteConfig(TempDirectory dir, string name, string json)
    {
        var path = dir.File($"{name}.json");
        File.WriteAllText(path, json);
        return path;
    }
}
