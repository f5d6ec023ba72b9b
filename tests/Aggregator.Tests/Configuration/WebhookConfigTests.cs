using Aggregator.Core.Configuration;
using Aggregator.Tests.Support;

namespace Aggregator.Tests.Configuration;

public class WebhookConfigTests
{
    private const string Feeds = """ "feeds":[{"id":"a","url":"https://example.org/rss"}] """;

    private static (AggregatorConfig? Config, IReadOnlyList<ConfigError> Errors) Parse(string webhooks, string extra = "") =>
        ConfigLoader.Parse($$"""{ {{Feeds}}, "webhooks": {{webhooks}} {{extra}} }""", "/tmp");

    private static string Messages(IReadOnlyList<ConfigError> errors) => string.Join("\n", errors.Select(e => $"{e.Path}: {e.Message}"));

    [Fact]
    public void AHookGetsEveryEventAndAnIdFromItsUrlByDefault_AndItsSecretNeverPrints()
    {
        var (config, errors) = Parse("""[{"url":"https://apps.example/hook?token=t","secret":"0123456789abcdef-secret"}]""");
        Assert.Empty(errors);
        var hook = Assert.Single(config!.Webhooks);
        Assert.Equal(["story.created", "story.updated", "source.added"], hook.Events);
        Assert.Matches("^hook-[0-9a-f]{12}$", hook.Id);
        Assert.Equal(hook.Id, Parse("""[{"url":"https://apps.example/hook?token=t","secret":"0123456789abcdef-other"}]""").Config!.Webhooks[0].Id);
        Assert.DoesNotContain("0123456789abcdef-secret", hook.ToString());
        Assert.DoesNotContain("0123456789abcdef-secret", config.ToString());
        Assert.Equal(EventOptions.Default, config.Events);
    }

    [Theory]
    [InlineData("""[{"url":"not a url","secret":"0123456789abcdef"}]""", "$.webhooks[0].url", "not an absolute http or https URL")]
    [InlineData("""[{"url":"ftp://apps.example/hook","secret":"0123456789abcdef"}]""", "$.webhooks[0].url", "not an absolute http or https URL")]
    [InlineData("""[{"url":"http://10.1.2.3/hook","secret":"0123456789abcdef"}]""", "$.webhooks[0].url", "private or reserved")]
    [InlineData("""[{"url":"http://[::1]:9/hook","secret":"0123456789abcdef"}]""", "$.webhooks[0].url", "private or reserved")]
    [InlineData("""[{"url":"https://apps.example/h","events":["story.created","story.deleted"],"secret":"0123456789abcdef"}]""", "$.webhooks[0].events[1]", "\"story.deleted\" is not an event")]
    [InlineData("""[{"url":"https://apps.example/h"}]""", "$.webhooks[0].secret", "is required")]
    [InlineData("""[{"url":"https://apps.example/h","secret":"short"}]""", "$.webhooks[0].secret", "at least 16 characters")]
    [InlineData("""[{"url":"https://apps.example/h","secretEnv":"AGGREGATOR_TEST_NO_SUCH_VARIABLE"}]""", "$.webhooks[0].secretEnv", "AGGREGATOR_TEST_NO_SUCH_VARIABLE is not set")]
    [InlineData("""[{"url":"https://apps.example/h","secret":"0123456789abcdef","secretEnv":"X"}]""", "$.webhooks[0].secretEnv", "not both")]
    [InlineData("""[{"url":"https://apps.example/h","secret":"0123456789abcdef","retries":3}]""", "$.webhooks[0].retries", "unknown field")]
    [InlineData("""[{"id":"x","url":"https://a.example/h","secret":"0123456789abcdef"},{"id":"x","url":"https://b.example/h","secret":"0123456789abcdef"}]""", "$.webhooks[1].id", "duplicate webhook id")]
    [InlineData("""{"url":"https://apps.example/h"}""", "$.webhooks", "expected an array")]
    public void ABadHookIsNamedByItsJsonPath(string webhooks, string path, string message)
    {
        var errors = Parse(webhooks).Errors;
        Assert.True(errors.Any(e => e.Path == path && e.Message.Contains(message, StringComparison.Ordinal)), Messages(errors));
    }

    [Fact]
    public void LoopbackTargetsNeedTheAllowSwitch_AndTheSecretMayComeFromTheEnvironment()
    {
        Environment.SetEnvironmentVariable("AGGREGATOR_TEST_HOOK_SECRET", "from-the-environment-0123");
        var hooks = """[{"url":"http://127.0.0.1:9/hook","secretEnv":"AGGREGATOR_TEST_HOOK_SECRET"}]""";
        Assert.Contains(Parse(hooks).Errors, e => e.Path == "$.webhooks[0].url");
        var (config, errors) = Parse(hooks, """, "http": {"allowLoopback": true}, "events": {"maxStreams": 2, "heartbeat": "00:00:05", "retentionDays": 3, "maxEvents": 1000}""");
        Assert.Empty(errors);
        Assert.Equal("from-the-environment-0123", config!.Webhooks[0].Secret);
        Assert.Equal(new EventOptions(3, 1000, 2, TimeSpan.FromSeconds(5)), config.Events);
        Assert.Contains(Parse("[]", """, "events": {"maxStreams": 0}""").Errors, e => e.Path == "$.events.maxStreams");
    }

    [Fact]
    public async Task ValidateNamesTheHookAndExitsTwo()
    {
        using var dir = new TempDirectory();
        var file = dir.File("feeds.json");
        File.WriteAllText(file, $$"""{ {{Feeds}}, "webhooks": [{"url":"gopher://apps.example/h","events":["story.made"],"secret":"0123456789abcdef"}] }""");
        var (exit, stdout, stderr) = await CliProcess.Run(["validate", "--config", file]);
        Assert.Equal(2, exit);
        Assert.Contains("$.webhooks[0].url: \"gopher://apps.example/h\" is not an absolute http or https URL", stdout + stderr);
        Assert.Contains("$.webhooks[0].events[0]: \"story.made\" is not an event (allowed: story.created, story.updated, source.added)", stdout + stderr);
    }
}
