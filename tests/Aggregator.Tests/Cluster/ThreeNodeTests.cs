using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Aggregator.Tests.Support;
using Npgsql;
using Xunit.Abstractions;

namespace Aggregator.Tests.Cluster;

/// <summary>
/// Three real <c>aggregator serve</c> processes (nodes a, b, c) on one fresh PostgreSQL database and a
/// loopback site of 30 feeds polled every minute: Quartz's clustered store shares the schedule, so no
/// feed is polled twice within its interval; a SIGKILLed node's work is taken over; a node stopped
/// cleanly and restarted, or killed and rejoining, finds every feed planned and re-polls none; one
/// story per article, every item a source, and every node serves the same list.
/// </summary>
public sealed class ThreeNodeTests(TestPostgres server, ITestOutputHelper output) : IClassFixture<TestPostgres>
{
    private static readonly TimeSpan Checkin = TimeSpan.FromSeconds(2);
    /// <summary>The planner's jitter is ±10%: two polls of a feed are at least 54 s apart. Waits are generous (a loaded 2-core machine), never fixed sleeps.</summary>
    private static readonly TimeSpan MinGap = TimeSpan.FromSeconds(50);
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(30);

    [SkippableFact]
    public async Task ThreeNodes_ShareOneSchedule_FailOver_AndKeepOneStoryPerArticle()
    {
        var database = server.ConnectionString;
        var clock = Stopwatch.StartNew();
        var started = DateTimeOffset.UtcNow;
        await using var site = await NewsSite.StartAsync(started);
        using var dir = new TempDirectory();
        var config = dir.File("feeds.json");
        File.WriteAllText(config, Config(database, site));
        var nodes = new Dictionary<string, ClusterNode>();
        try
        {
            // Three nodes at the same moment on an empty database: one schema, one plan.
            foreach (var id in new[] { "a", "b", "c" }) nodes[id] = ClusterNode.Start(id, config);
            await Task.WhenAll(nodes.Values.Select(n => n.WaitHealthyAsync(TimeSpan.FromSeconds(180))));
            Assert.Equal(NewsSite.Feeds, Triggers(database).Count);
            output.WriteLine($"{clock.Elapsed:mm\\:ss} three nodes healthy");
            await Until(() => Task.FromResult(site.Polls.Values.All(p => !p.IsEmpty)), TimeSpan.FromSeconds(180), "every feed polled once", nodes);
            output.WriteLine($"{clock.Elapsed:mm\\:ss} all {NewsSite.Feeds} feeds polled by nodes {string.Join(", ", Instances(database))}");

            // SIGKILL a: the others notice it missed its check-ins and recover its running polls.
            var killed = DateTimeOffset.UtcNow;
            await nodes["a"].KillAsync();
            var inFlight = Strings(database, "SELECT trigger_name FROM qrtz_fired_triggers WHERE instance_name = 'a'").ToHashSet();
            var plannedAtKill = Triggers(database);
            await Until(() => Task.FromResult(Scalar(database, "SELECT count(*) FROM qrtz_scheduler_state WHERE instance_name = 'a'") == 0
                && Scalar(database, "SELECT count(*) FROM qrtz_fired_triggers WHERE instance_name = 'a'") == 0
                && Scalar(database, "SELECT count(*) FROM qrtz_triggers WHERE trigger_group NOT IN ('feeds', 'maintenance')") == 0),
                TimeSpan.FromSeconds(90), "the cluster recovers node a", nodes);
            var failover = DateTimeOffset.UtcNow - killed;
            output.WriteLine($"{clock.Elapsed:mm\\:ss} node a killed; recovered by the others after {failover.TotalSeconds:0.0} s ({inFlight.Count} firings in flight)");

            // SIGTERM b: every feed keeps its trigger; restarted, b re-plans and re-polls none.
            await nodes["b"].StopAsync(TimeSpan.FromSeconds(20));
            output.WriteLine(Dump(database));
            Assert.Equal(NewsSite.Feeds, Triggers(database).Count);
            var plannedB = Triggers(database, plannedOnly: true);
            var restartB = DateTimeOffset.UtcNow;
            nodes["b"].Dispose();
            nodes["b"] = ClusterNode.Start("b", config);
            await nodes["b"].WaitHealthyAsync(TimeSpan.FromSeconds(120));
            AssertReplannedNothing(nodes["b"]);
            output.WriteLine($"{clock.Elapsed:mm\\:ss} node b stopped cleanly and restarted: all {plannedB.Count} triggers kept");

            // Every feed is polled again at its planned time (within one interval of its last poll's end) plus the failover time.
            var deadline = plannedAtKill.Values.Max() + failover + Slack;
            await Until(() => Task.FromResult(site.Polls.All(p => p.Value.Any(t => t > killed))), deadline - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(10),
                "every feed polled again after the kill", nodes);
            foreach (var (feed, polls) in site.Polls)
            {
                var next = polls.Where(t => t > killed).Min();
                var bound = (plannedAtKill.TryGetValue(feed, out var planned) && planned > killed ? planned : killed) + failover + Slack;
                Assert.True(next <= bound, $"{feed}: planned {planned:T} at the kill, polled only at {next:T} (failover {failover.TotalSeconds:0} s)");
            }
            output.WriteLine($"{clock.Elapsed:mm\\:ss} every feed polled again after the kill, each by its planned time + failover");

            // a rejoins: it finds every feed planned.
            var plannedA = Triggers(database, plannedOnly: true);
            var restartA = DateTimeOffset.UtcNow;
            nodes["a"].Dispose();
            nodes["a"] = ClusterNode.Start("a", config);
            await nodes["a"].WaitHealthyAsync(TimeSpan.FromSeconds(120));
            AssertReplannedNothing(nodes["a"]);

            // All three serve the same stories: one per article, every item a source.
            await Until(async () => (await Task.WhenAll(nodes.Values.Select(n => Stories(n.Http)))).Select(Canonical).Distinct().Count() == 1
                && AllItemsStored(await Stories(nodes["c"].Http)), TimeSpan.FromSeconds(120), "the three nodes serve the same list with every item", nodes);
            AssertOneStoryPerArticle(await Stories(nodes["a"].Http));

            // No restart re-polled a planned feed early (their first polls after restarting are at the planned times).
            var quiet = restartA + TimeSpan.FromSeconds(16) - DateTimeOffset.UtcNow; // the window a re-poll would fall in
            if (quiet > TimeSpan.Zero) await Task.Delay(quiet);
            AssertNoEarlyPoll(site, plannedB, restartB, "b's restart");
            AssertNoEarlyPoll(site, plannedA, restartA, "a's rejoin");
            AssertNoDoublePoll(site, inFlight, killed, failover);
            output.WriteLine($"{clock.Elapsed:mm\\:ss} {site.Polls.Values.Sum(p => p.Count)} feed polls in all, none twice within an interval");
        }
        finally
        {
            foreach (var node in nodes.Values)
            {
                output.WriteLine(node.Tail(12));
                node.Dispose();
            }
        }
    }

    private static string Config(string database, NewsSite site) => JsonSerializer.Serialize(new
    {
        storage = new { provider = "postgres", connectionString = database },
        http = new { allowLoopback = true, userAgent = "Aggregator-ClusterTest/1.0" },
        schedule = new { checkinInterval = "00:00:02" },
        feeds = Enumerable.Range(0, NewsSite.Feeds).Select(i => new { id = NewsSite.FeedId(i), url = site.FeedUrl(i).ToString(), interval = "00:01:00" }),
    });

    private static void AssertReplannedNothing(ClusterNode node)
    {
        var line = node.Output.FirstOrDefault(l => l.Contains("feeds planned now", StringComparison.Ordinal));
        Assert.True(line is not null, $"node {node.Id} logged no reconciliation\n{node.Tail()}");
        Assert.Contains($"0 feeds planned now, {NewsSite.Feeds} already planned, 0 re-planned", line);
    }

    /// <summary>After a restart at <paramref name="at"/>, each feed's first poll comes no earlier than the time its trigger had planned.</summary>
    private static void AssertNoEarlyPoll(NewsSite site, IReadOnlyDictionary<string, DateTimeOffset> planned, DateTimeOffset at, string what)
    {
        var early = site.Polls
            .Select(p => (Feed: p.Key, First: p.Value.Where(t => t >= at).DefaultIfEmpty(DateTimeOffset.MaxValue).Min()))
            .Where(p => planned.TryGetValue(p.Feed, out var plan) && p.First < plan - TimeSpan.FromSeconds(1.5))
            .Select(p => $"{p.Feed} polled {p.First:T}, planned {planned[p.Feed]:T}").ToList();
        Assert.True(early.Count == 0, $"{what} re-polled planned feeds: {string.Join("; ", early)}");
    }

    /// <summary>No two polls of a feed closer than the interval allows, but the one recovery of a poll the kill cut short.</summary>
    private static void AssertNoDoublePoll(NewsSite site, IReadOnlySet<string> inFlight, DateTimeOffset killed, TimeSpan failover)
    {
        var doubled = new List<string>();
        foreach (var (feed, log) in site.Polls)
        {
            var polls = log.Order().ToList();
            for (var i = 1; i < polls.Count; i++)
            {
                var recovery = inFlight.Contains(feed) && polls[i] >= killed && polls[i] <= killed + failover + TimeSpan.FromSeconds(10);
                if (polls[i] - polls[i - 1] < MinGap && !recovery) doubled.Add($"{feed} at {polls[i - 1]:T} and {polls[i]:T}");
            }
        }
        Assert.True(doubled.Count == 0, $"feeds polled twice within an interval: {string.Join("; ", doubled)}");
    }

    private static bool AllItemsStored(IReadOnlyList<(string Id, List<string> Sources)> stories) =>
        stories.Sum(s => s.Sources.Count) >= NewsSite.Feeds * NewsSite.ArticlesPerFeed;

    private static void AssertOneStoryPerArticle(IReadOnlyList<(string Id, List<string> Sources)> stories)
    {
        var urls = stories.SelectMany(s => s.Sources).ToList();
        Assert.Equal(urls.Count, urls.Distinct().Count());
        Assert.Equal(NewsSite.Feeds * NewsSite.ArticlesPerFeed, urls.Count); // every item attached as a source
        foreach (var story in stories)
            Assert.True(story.Sources.Select(NewsSite.ArticleOf).Distinct().Count() == 1, $"story {story.Id} mixes articles: {string.Join(", ", story.Sources)}");
        var byArticle = stories.GroupBy(s => NewsSite.ArticleOf(s.Sources[0])).ToList();
        Assert.All(byArticle, g => Assert.True(g.Count() == 1, $"article {g.Key} is in {g.Count()} stories"));
        Assert.Equal(NewsSite.Feeds, byArticle.Count);
    }

    private static string Canonical(IReadOnlyList<(string Id, List<string> Sources)> stories) =>
        string.Join('\n', stories.Select(s => s.Id + " " + string.Join(' ', s.Sources.Order(StringComparer.Ordinal))));

    /// <summary>Every story (id, source URLs), all pages, newest first.</summary>
    private static async Task<IReadOnlyList<(string Id, List<string> Sources)>> Stories(HttpClient http)
    {
        var result = new List<(string, List<string>)>();
        string? cursor = null;
        do
        {
            var page = await http.GetFromJsonAsync<JsonElement>($"/api/stories?limit=200{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}");
            foreach (var story in page.GetProperty("items").EnumerateArray())
                result.Add((story.GetProperty("id").GetString()!, story.GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("url").GetString()!).ToList()));
            cursor = page.GetProperty("nextCursor").GetString();
        } while (cursor is not null);
        return result;
    }

    /// <summary>
    /// Each feed trigger's next fire time, as the shared store holds it (ticks, UTC). A trigger whose job
    /// is running (BLOCKED) shows its backstop repetition, which the run is about to move: such feeds are
    /// left out of <paramref name="plannedOnly"/> snapshots.
    /// </summary>
    private static Dictionary<string, DateTimeOffset> Triggers(string database, bool plannedOnly = false)
    {
        using var connection = new NpgsqlConnection(database);
        connection.Open();
        using var command = new NpgsqlCommand(
            "SELECT trigger_name, next_fire_time, trigger_state FROM qrtz_triggers WHERE trigger_group = 'feeds' AND next_fire_time IS NOT NULL", connection);
        using var reader = command.ExecuteReader();
        var result = new Dictionary<string, DateTimeOffset>();
        while (reader.Read())
            if (!plannedOnly || reader.GetString(2) is "WAITING" or "ACQUIRED") result[reader.GetString(0)] = new DateTimeOffset(reader.GetInt64(1), TimeSpan.Zero);
        return result;
    }

    /// <summary>The shared schedule as the store holds it, for the test's log.</summary>
    private static string Dump(string database) =>
        "triggers: " + string.Join(", ", Strings(database, "SELECT trigger_name || ' ' || trigger_state || ' ' || to_char(to_timestamp((next_fire_time - 621355968000000000) / 1e7) AT TIME ZONE 'UTC', 'HH24:MI:SS') FROM qrtz_triggers ORDER BY next_fire_time")) +
        "\nfired: " + string.Join(", ", Strings(database, "SELECT trigger_name || ' ' || instance_name || ' ' || state FROM qrtz_fired_triggers")) +
        "\ninstances: " + string.Join(", ", Strings(database, "SELECT instance_name FROM qrtz_scheduler_state"));

    private static IEnumerable<string> Instances(string database) => Strings(database, "SELECT instance_name FROM qrtz_scheduler_state ORDER BY 1");

    private static List<string> Strings(string database, string sql)
    {
        using var connection = new NpgsqlConnection(database);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        using var reader = command.ExecuteReader();
        var result = new List<string>();
        while (reader.Read()) result.Add(reader.GetString(0));
        return result;
    }

    private static long Scalar(string database, string sql)
    {
        using var connection = new NpgsqlConnection(database);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task Until(Func<Task<bool>> condition, TimeSpan within, string what, Dictionary<string, ClusterNode> nodes)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < within)
        {
            try
            {
                if (await condition()) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(250);
        }
        Assert.Fail($"timed out after {within.TotalSeconds:0} s waiting for: {what}\n{string.Join('\n', nodes.Values.Select(n => n.Tail()))}");
    }
}
