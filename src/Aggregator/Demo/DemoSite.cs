using System.Globalization;
using System.Text.RegularExpressions;
using Aggregator.Core.Configuration;

namespace Aggregator.Demo;

/// <summary>
/// Serves the bundled <c>samples/site</c> corpus on a loopback port so that <c>serve --demo</c> runs the
/// real pipeline (HTTP, parsing, extraction, dedup) with no internet. Tokens in the files are filled
/// at serve time: <c>{{site}}</c> is this server's address, <c>{{iso:-N}}</c>/<c>{{rfc822:-N}}</c> are
/// "N minutes ago", so the demo always looks current.
/// </summary>
public sealed partial class DemoSite : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _samples;
    private readonly string _database;
    private readonly TimeProvider _time;

    private DemoSite(WebApplication app, string samples, string database, TimeProvider time)
    {
        _time = time;
        _app = app;
        _samples = samples;
        _database = database;
    }

    public Uri BaseUrl => new(_app.Urls.First());

    public int FeedCount => Config(new Uri("http://localhost")).Feeds.Count;

    public static string SamplesDirectory => Path.Combine(AppContext.BaseDirectory, "samples");

    public static async Task<DemoSite> StartAsync(TimeProvider time, CancellationToken cancel)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var database = Path.Combine(Path.GetTempPath(), $"aggregator-demo-{Environment.ProcessId}", "demo.db");
        var site = new DemoSite(app, SamplesDirectory, database, time);
        app.MapGet("/{**path}", (string? path) => site.Serve(path ?? ""));
        await app.StartAsync(cancel);
        return site;
    }

    /// <summary>The demo's feeds.json with this server's address filled in, a fresh database, and loopback allowed.</summary>
    public AggregatorConfig Config(Uri publicUrl)
    {
        var json = Fill(File.ReadAllText(Path.Combine(_samples, "feeds.demo.json")));
        var (config, errors) = ConfigLoader.Parse(json, _samples);
        if (config is null) throw new ConfigException("samples/feeds.demo.json", errors);
        return config with
        {
            Storage = new StorageOptions(_database),
            Output = config.Output with { PublicUrl = publicUrl },
        };
    }

    private IResult Serve(string path)
    {
        var file = Path.GetFullPath(Path.Combine(_samples, "site", path));
        if (!file.StartsWith(Path.Combine(_samples, "site") + Path.DirectorySeparatorChar, StringComparison.Ordinal)) return Results.NotFound();
        if (Directory.Exists(file)) file = Path.Combine(file, "index.html");
        if (!File.Exists(file)) return Results.NotFound();
        var type = Path.GetExtension(file) switch
        {
            ".xml" => "application/xml; charset=utf-8",
            ".json" => "application/feed+json; charset=utf-8",
            ".svg" => "image/svg+xml",
            _ => "text/html; charset=utf-8",
        };
        return Results.Text(Fill(File.ReadAllText(file)), type);
    }

    private string Fill(string text) => Token().Replace(text, m =>
    {
        if (m.Groups["name"].Value == "site") return _app.Urls.FirstOrDefault()?.TrimEnd('/') ?? "http://127.0.0.1";
        var when = _time.GetUtcNow().AddMinutes(int.Parse(m.Groups["minutes"].Value, CultureInfo.InvariantCulture));
        return m.Groups["name"].Value == "iso"
            ? when.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : when.ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);
    });

    [GeneratedRegex(@"\{\{(?<name>site|iso|rfc822)(?::(?<minutes>-?\d+))?\}\}")]
    private static partial Regex Token();

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        try { Directory.Delete(Path.GetDirectoryName(_database)!, recursive: true); }
        catch (IOException) { }
    }
}
