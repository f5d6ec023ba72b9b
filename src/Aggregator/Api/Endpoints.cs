namespace Aggregator.Api;

/// <summary>Every route of the contract, in one place.</summary>
public static class Endpoints
{
    public static void MapAggregatorEndpoints(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            context.Response.Headers.XContentTypeOptions = "nosniff";
            context.Response.Headers["Referrer-Policy"] = "no-referrer";
            await next();
        });
        app.UseConditionalJson();
        StoriesApi.Map(app);
        FeedsApi.Map(app);
        OperationsApi.Map(app);
        SyndicationApi.Map(app);
        ReadingPages.Map(app);
        app.MapGet("/health", (Core.Storage.StoryStore store) =>
            TypedResults.Ok(new { status = "ok", stories = store.StoryCount }));
    }
}
