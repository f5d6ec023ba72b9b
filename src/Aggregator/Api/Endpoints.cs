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
        app.UseHeadAsGet();
        app.UseRouting(); // after HEAD became GET, so HEAD finds every GET route
        app.UseConditionalJson();
        var operators = app.MapOperatorGroup();
        StoriesApi.Map(app, operators);
        FeedsApi.Map(app, operators);
        OperationsApi.Map(app, operators);
        WebhooksApi.Map(operators);
        StreamApi.Map(app);
        SyndicationApi.Map(app);
        ReadingPages.Map(app);
        StatusPage.Map(operators);
        app.MapGet("/health", Health).WithSummary("Liveness and readiness: 503 while the store cannot write or a read found the file damaged.");
    }

    private static IResult Health(Core.Storage.IStoryStore store)
    {
        var health = store.Health;
        if (health.Ok) return TypedResults.Ok(new HealthDto("ok", store.StoryCount));
        var body = new UnhealthyDto("unhealthy", health.Writable, health.Error ?? health.Damaged, health.Since);
        return TypedResults.Json(body, ApiJsonContext.Default.UnhealthyDto, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
