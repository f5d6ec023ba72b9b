using System.Text.Json;
using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;

namespace Aggregator.Core.Configuration;

/// <summary>Loads and validates <c>feeds.json</c>: every problem is reported with its JSON path.</summary>
public static partial class ConfigLoader
{
    private static readonly TimeSpan MinInterval = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan MaxInterval = TimeSpan.FromDays(7);

    /// <summary>Reads the file; throws <see cref="ConfigException"/> listing every problem.</summary>
    public static AggregatorConfig Load(string file)
    {
        if (!File.Exists(file))
            throw new ConfigException(file, [new ConfigError("$", $"file not found: {Path.GetFullPath(file)}")]);
        var baseDirectory = Path.GetDirectoryName(Path.GetFullPath(file))!;
        var (config, errors) = Parse(File.ReadAllText(file), baseDirectory);
        if (errors.Count > 0) throw new ConfigException(file, errors);
        return config!;
    }

    /// <summary>Validates JSON text; relative storage paths resolve against <paramref name="baseDirectory"/>.</summary>
    public static (AggregatorConfig? Config, IReadOnlyList<ConfigError> Errors) Parse(string json, string baseDirectory)
    {
        var errors = new List<ConfigError>();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            return (null, [new ConfigError("$", $"not valid JSON: {e.Message}")]);
        }
        using (document)
        {
            var root = JsonObjectReader.Open(document.RootElement, "$", errors);
            if (root is null) return (null, errors);
            var config = ReadRoot(root, baseDirectory, errors);
            return errors.Count == 0 ? (config, errors) : (null, errors);
        }
    }

    private static AggregatorConfig ReadRoot(JsonObjectReader root, string baseDirectory, List<ConfigError> errors)
    {
        var storage = ReadStorage(root.Object("storage"), baseDirectory, errors);
        var http = ReadHttp(root.Object("http"));
        var schedule = ReadSchedule(root.Object("schedule"));
        var output = ReadOutput(root.Object("output"));
        var api = ReadApi(root.Object("api"));
        var retention = ReadRetention(root.Object("retention"));
        var filters = FilterConfigReader.Read(root.Object("filters"), errors);
        var feeds = ReadFeeds(root, errors);
        var webhooks = WebhookConfigReader.ReadWebhooks(root, http, errors);
        var events = WebhookConfigReader.ReadEventOptions(root.Object("events"));
        root.RejectUnknown();
        return new AggregatorConfig(storage, http, schedule, output, api, feeds) { Retention = retention, Filters = filters, Webhooks = webhooks, Events = events };
    }

    private static StorageOptions ReadStorage(JsonObjectReader? o, string baseDirectory, List<ConfigError> errors)
    {
        var path = StoragePath(o?.String("path") ?? "data/aggregator.db", "$.storage.path", baseDirectory, errors);
        if (path is not null && Directory.Exists(path))
            errors.Add(new ConfigError("$.storage.path", $"{path} is a folder; give the database file's path (e.g. {Path.Combine(path, "aggregator.db")})"));
        else if (path is not null && File.Exists(Path.GetDirectoryName(path)))
            errors.Add(new ConfigError("$.storage.path", $"{Path.GetDirectoryName(path)} is a file, not a folder"));
        var backupDir = o?.String("backupDir") is { } dir ? StoragePath(dir, "$.storage.backupDir", baseDirectory, errors) : null;
        if (backupDir is not null && File.Exists(backupDir))
            errors.Add(new ConfigError("$.storage.backupDir", $"{backupDir} is a file, not a folder"));
        var (provider, connectionString, nodeId) = ReadProvider(o, errors);
        o?.RejectUnknown();
        path ??= Path.Combine(baseDirectory, "data", "aggregator.db");
        return new StorageOptions(path) { BackupDir = backupDir ?? Path.GetDirectoryName(path)!, Provider = provider, ConnectionString = connectionString, NodeId = nodeId };
    }

    /// <summary><c>storage.provider</c>, its connection string (checked by Npgsql's own parser) and the node's id.</summary>
    private static (string Provider, string? ConnectionString, string NodeId) ReadProvider(JsonObjectReader? o, List<ConfigError> errors)
    {
        var provider = o?.String("provider") ?? StorageOptions.LiteDb;
        if (provider is not (StorageOptions.LiteDb or StorageOptions.Postgres))
        {
            errors.Add(new ConfigError("$.storage.provider", $"must be \"{StorageOptions.LiteDb}\" or \"{StorageOptions.Postgres}\", not \"{provider}\""));
            provider = StorageOptions.LiteDb;
        }
        var connectionString = o?.String("connectionString");
        if (provider == StorageOptions.Postgres && connectionString is null)
            errors.Add(new ConfigError("$.storage.connectionString", "is required when storage.provider is \"postgres\" (e.g. \"Host=db;Database=aggregator;Username=aggregator;Password=…\")"));
        else if (provider == StorageOptions.LiteDb && connectionString is not null)
            errors.Add(new ConfigError("$.storage.connectionString", "is only for storage.provider \"postgres\" (LiteDB uses storage.path)"));
        else if (connectionString is not null && ConnectionStringProblem(connectionString) is { } problem)
            errors.Add(new ConfigError("$.storage.connectionString", $"is not a valid PostgreSQL connection string: {problem}"));
        var fromEnvironment = Environment.GetEnvironmentVariable("AGGREGATOR_NODE_ID");
        var nodeId = o?.String("nodeId") ?? (string.IsNullOrWhiteSpace(fromEnvironment) ? Environment.MachineName : fromEnvironment.Trim());
        if (nodeId.Length > 64 || !nodeId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            errors.Add(new ConfigError("$.storage.nodeId", $"\"{nodeId}\" must be 1-64 letters, digits, '-', '_' or '.' (set here or by AGGREGATOR_NODE_ID)"));
        return (provider, connectionString, nodeId);
    }

    private static string? ConnectionStringProblem(string connectionString)
    {
        try
        {
            var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
            return string.IsNullOrWhiteSpace(builder.Host) ? "no Host" : null;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
        {
            return e.Message;
        }
    }

    /// <summary>A path from the file, made absolute against the config's folder; null (and an error) when it cannot be a path.</summary>
    private static string? StoragePath(string value, string jsonPath, string baseDirectory, List<ConfigError> errors)
    {
        if (value.Length == 0 || value.Any(char.IsControl))
        {
            errors.Add(new ConfigError(jsonPath, "must be a path without control characters (NUL, newline, …)"));
            return null;
        }
        try
        {
            return Path.GetFullPath(Path.Combine(baseDirectory, value));
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            errors.Add(new ConfigError(jsonPath, $"\"{value}\" is not a usable path: {e.Message}"));
            return null;
        }
    }

    private static HttpOptions ReadHttp(JsonObjectReader? o)
    {
        var d = HttpOptions.Default;
        if (o is null) return d;
        var options = new HttpOptions(
            o.String("userAgent", d.UserAgent)!,
            o.Duration("timeout", d.Timeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5))!.Value,
            o.Integer("maxResponseBytes", d.MaxResponseBytes, 1024, 1L << 30),
            o.Bool("allowPrivateNetworks", d.AllowPrivateNetworks),
            o.Bool("allowLoopback", d.AllowLoopback),
            (int)o.Integer("maxConnectionsPerHost", d.MaxConnectionsPerHost, 1, 16));
        o.RejectUnknown();
        return options;
    }

    private static ScheduleOptions ReadSchedule(JsonObjectReader? o)
    {
        var options = new ScheduleOptions(
            o?.Duration("defaultInterval", TimeSpan.FromMinutes(15), MinInterval, MaxInterval) ?? TimeSpan.FromMinutes(15),
            (int)(o?.Integer("maxConcurrentFetches", 8, 1, 64) ?? 8))
        {
            CheckinInterval = o?.Duration("checkinInterval", TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5)) ?? TimeSpan.FromSeconds(10),
        };
        o?.RejectUnknown();
        return options;
    }

    private static OutputOptions ReadOutput(JsonObjectReader? o)
    {
        var options = new OutputOptions(
            o?.String("title", "World News") ?? "World News",
            o?.HttpUrl("publicUrl", new Uri("http://localhost:5080")) ?? new Uri("http://localhost:5080"),
            (int)(o?.Integer("maxItems", 100, 1, 1000) ?? 100));
        o?.RejectUnknown();
        return options;
    }

    private static ApiOptions ReadApi(JsonObjectReader? o)
    {
        var key = o?.String("key");
        if (key is { Length: < 16 }) o!.Error("key", "must be at least 16 characters");
        o?.RejectUnknown();
        return new ApiOptions(key);
    }

    private static RetentionOptions ReadRetention(JsonObjectReader? o)
    {
        var d = RetentionOptions.Default;
        var options = new RetentionOptions(
            (int)(o?.Integer("days", d.Days, 1, 36500) ?? d.Days),
            (int)(o?.Integer("maxStories", d.MaxStories, 100, 100_000_000) ?? d.MaxStories),
            (int)(o?.Integer("tombstoneDays", d.TombstoneDays, 1, 36500) ?? d.TombstoneDays));
        o?.RejectUnknown();
        return options;
    }

    private static List<FeedConfig> ReadFeeds(JsonObjectReader root, List<ConfigError> errors)
    {
        var feeds = new List<FeedConfig>();
        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (element, path) in root.Array("feeds"))
        {
            var o = JsonObjectReader.Open(element, path, errors);
            if (o is null) continue;
            var feed = ReadFeed(o, errors);
            if (Peek(element, "id") is { } id)
            {
                if (seen.TryGetValue(id, out var first))
                    errors.Add(new ConfigError($"{path}.id", $"duplicate id \"{id}\" (first used at {first})"));
                else
                    seen[id] = path;
            }
            if (feed is not null) feeds.Add(feed);
        }
        return feeds;
    }

    private static string? Peek(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()!.Trim() : null;

    private static FeedConfig? ReadFeed(JsonObjectReader o, List<ConfigError> errors)
    {
        var id = o.String("id", required: true);
        if (id is not null && !FeedIdPattern().IsMatch(id))
            o.Error("id", $"\"{id}\" must be 1-64 characters of a-z, 0-9, '-', '_' or '.', starting with a letter or digit");
        var url = o.HttpUrl("url", required: true);
        var category = o.String("category", "World")!;
        var title = o.String("title");
        var interval = o.Duration("interval", null, MinInterval, MaxInterval);
        var fullText = o.Bool("fullText", true);
        var priority = (int)o.Integer("priority", 0, -1000, 1000);
        var siteReader = o.Object("site");
        var site = siteReader is null ? null : ReadSite(siteReader, errors);
        var filters = o.Object("filters") is { } filterReader ? FilterConfigReader.Read(filterReader, errors) : null;
        var http = FeedHttpConfigReader.Read(o.Object("http"), errors);
        o.RejectUnknown();
        return id is null || url is null ? null : new FeedConfig(id, url, category, title, interval, fullText, site) { Priority = priority, Filters = filters, Http = http };
    }

    private static SiteRules ReadSite(JsonObjectReader o, List<ConfigError> errors)
    {
        var body = o.String("body");
        if (body is not null) CheckSelector(body, $"{o.Path}.body", errors);
        var strip = o.StringArray("strip");
        for (var i = 0; i < strip.Count; i++) CheckSelector(strip[i], $"{o.Path}.strip[{i}]", errors);
        var stripText = o.StringArray("stripText");
        for (var i = 0; i < stripText.Count; i++) CheckPattern(stripText[i], $"{o.Path}.stripText[{i}]", errors);
        o.RejectUnknown();
        return new SiteRules(body, strip, stripText);
    }

    private static void CheckSelector(string selector, string path, List<ConfigError> errors)
    {
        try
        {
            new HtmlParser().ParseDocument("<p></p>").QuerySelector(selector);
        }
        catch (Exception e) when (e is AngleSharp.Dom.DomException or ArgumentException)
        {
            errors.Add(new ConfigError(path, $"\"{selector}\" is not a valid CSS selector"));
        }
    }

    private static void CheckPattern(string pattern, string path, List<ConfigError> errors)
    {
        if (!TextPattern.IsRegex(pattern)) return;
        try
        {
            TextPattern.Compile(pattern);
        }
        catch (ArgumentException e)
        {
            errors.Add(new ConfigError(path, $"\"{pattern}\" is not a valid regular expression: {e.Message}"));
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex FeedIdPattern();
}
