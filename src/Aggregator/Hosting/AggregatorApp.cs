using Aggregator.Api;
using Aggregator.Core.Configuration;
using Aggregator.Core.Pipeline;
using OpenTelemetry.Metrics;
using Aggregator.Core.Storage;
using Aggregator.Scheduling;
using Aggregator.Webhooks;
using Scalar.AspNetCore;

namespace Aggregator.Hosting;

/// <summary>Builds the web host: pipeline services, Quartz scheduler, API endpoints and reading pages.</summary>
public static class AggregatorApp
{
    /// <param name="configPath">The feeds.json this configuration came from: edits to it are applied while running (none for the demo).</param>
    public static WebApplication Build(AggregatorConfig config, IStoryStore store, TimeProvider time, string urls, TimeSpan firstRunWithin, bool schedule = true, string? configPath = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls(urls);
        // Structured logs: every poll runs in a FeedId scope. AGGREGATOR_LOG_FORMAT=json writes one JSON object per line.
        if (string.Equals(Environment.GetEnvironmentVariable("AGGREGATOR_LOG_FORMAT"), "json", StringComparison.OrdinalIgnoreCase))
            builder.Logging.AddJsonConsole(o => { o.IncludeScopes = true; o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ"; o.UseUtcTimestamp = true; });
        else
            builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.IncludeScopes = true; o.TimestampFormat = "HH:mm:ss "; });
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning).AddFilter("System", LogLevel.Warning).AddFilter("Quartz", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
        builder.Services.AddAggregatorCore(config, store, time);
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<StorageFaults>();
        builder.Services.AddSingleton<OutputCache>();
        builder.Services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Aggregator API";
            document.Info.Description = "Merged, deduplicated news stories with their sources; feed health for operators.";
            WebhookOpenApi.Describe(document);
            return Task.CompletedTask;
        }));
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase);
        // Bodies are written from compile-time metadata only (ApiJsonContext beside the framework's own
        // contexts): the JIT and native-AOT builds answer alike, and a shape left out fails in the tests.
        builder.Services.PostConfigure<Microsoft.AspNetCore.Http.Json.JsonOptions>(o =>
        {
            var chain = o.SerializerOptions.TypeInfoResolverChain;
            for (var i = chain.Count - 1; i >= 0; i--)
                if (chain[i] is System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver) chain.RemoveAt(i);
            chain.Insert(0, ApiJsonContext.Default);
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(8));
        builder.Services.AddWebhooks(config);
        builder.Services.AddFeedScheduling(config, time, firstRunWithin, schedule);
        builder.Services.AddHostedService<IdleTrim>();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(PipelineMetrics.MeterName)
            .AddRuntimeInstrumentation()
            .AddPrometheusExporter());
        PipelineMetrics.ObserveStore(store);
        if (configPath is not null)
        {
            builder.Services.AddSingleton(sp => ActivatorUtilities.CreateInstance<ConfigReloader>(sp, configPath));
            builder.Services.AddHostedService<ConfigWatcher>();
        }

        var app = builder.Build();
        HostContext.SetLogger(store, app.Services.GetRequiredService<ILoggerFactory>());
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapAggregatorEndpoints();
        if (config.Api.Key is null)
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Aggregator.Api.OperatorAccess").LogWarning(
                "api.key is not set: operator routes (refresh, split, backup, config reload) answer any direct loopback caller; " +
                "requests relayed by a proxy (Forwarded, X-Forwarded-For, X-Real-IP) are refused. Set api.key before exposing the service.");
        app.MapPrometheusScrapingEndpoint(); // /metrics
        app.MapOpenApi(); // /openapi/v1.json
        app.MapScalarApiReference("/docs", o => o.WithTitle("Aggregator API"));
        return app;
    }
}
