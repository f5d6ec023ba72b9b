using Aggregator.Api;
using Aggregator.Core.Configuration;
using Aggregator.Core.Storage;
using Aggregator.Scheduling;

namespace Aggregator.Hosting;

/// <summary>Builds the web host: pipeline services, Quartz scheduler, API endpoints and reading pages.</summary>
public static class AggregatorApp
{
    public static WebApplication Build(AggregatorConfig config, StoryStore store, string urls, TimeSpan firstRunWithin, bool schedule = true)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls(urls);
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.IncludeScopes = true; o.TimestampFormat = "HH:mm:ss "; });
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning).AddFilter("System", LogLevel.Warning).AddFilter("Quartz", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
        builder.Services.AddAggregatorCore(config, store);
        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(25));
        builder.Services.AddFeedScheduling(config, TimeProvider.System, firstRunWithin, schedule);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapAggregatorEndpoints();
        return app;
    }
}
