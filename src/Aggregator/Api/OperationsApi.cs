using Aggregator.Core.Configuration;
using Aggregator.Core.Storage;
using Aggregator.Scheduling;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Aggregator.Api;

/// <summary>Routes for running the service: configuration reload, OPML export, learned boilerplate, backups.</summary>
internal static class OperationsApi
{
    public static void Map(WebApplication app, RouteGroupBuilder operators)
    {
        operators.MapPost("/api/config/reload", ReloadAsync)
            .WithSummary("Re-read feeds.json now (it is also re-read when the file changes, and on SIGHUP); an invalid file is refused and the running configuration kept (operator).");
        app.MapGet("/api/opml", (AggregatorConfig config, TimeProvider time) =>
                TypedResults.Text(Opml.Export(config, time.GetUtcNow()), "text/x-opml; charset=utf-8"))
            .WithSummary("The configured feeds as an OPML 2.0 subscription list, one folder per category.");
        app.MapGet("/api/sites", (IStoryStore store) => TypedResults.Ok(store.SiteProfiles().Select(SiteDto.From).ToList()))
            .WithSummary("What each site's recent articles taught: the paragraphs learned as its boilerplate (in at least 3 of its last 20 articles), dropped from its articles.");
        operators.MapPost("/api/backup", BackupAsync)
            .WithSummary("Write a consistent, verified copy of the database to {\"path\": a new file in storage.backupDir, by name or absolute path} (operator).");
    }

    public sealed record LearnedLineDto(string Text, int Articles, DateTime Since);

    public sealed record SiteDto(string Site, int ArticlesSeen, DateTime Updated, IReadOnlyList<LearnedLineDto> Learned)
    {
        public static SiteDto From(SiteProfileRecord s) =>
            new(s.Id, s.Recent.Count, s.Updated, s.Learned.OrderByDescending(l => l.Articles).Select(l => new LearnedLineDto(l.Text, l.Articles, l.Since)).ToList());
    }

    private static async Task<Results<Ok<BackupResult>, ProblemHttpResult>> BackupAsync(HttpContext context, AggregatorConfig config, IStoryStore store, CancellationToken cancel)
    {
        string? path;
        try
        {
            path = (await JsonBody.ReadAsync(context.Request, cancel)).String("path");
        }
        catch (BadParameterException e)
        {
            return e.ToProblem();
        }
        if (path is null) return Problems.BadParameter("path", "a file name in storage.backupDir (or its absolute path) is required");
        var (target, refused) = Hosting.BackupTarget.Resolve(path, config.Storage);
        if (refused is not null) return Problems.BadParameter("path", refused);
        if (store is not StoryStore file)
            return TypedResults.Problem("backup: this store is not a file; back up its database with the engine's own tool (pg_dump for PostgreSQL)",
                statusCode: StatusCodes.Status409Conflict, title: "Conflict");
        try
        {
            return TypedResults.Ok(await file.BackupAsync(target!, cancel));
        }
        catch (BackupFailedException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status507InsufficientStorage, title: "Backup failed");
        }
        catch (IOException e) when (e is not DirectoryNotFoundException)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status409Conflict, title: "Conflict");
        }
        catch (Exception e) when (e is DirectoryNotFoundException or UnauthorizedAccessException)
        {
            return Problems.BadParameter("path", e.Message);
        }
    }

    private static async Task<Results<Ok<ReloadResult>, ProblemHttpResult>> ReloadAsync(IServiceProvider services, CancellationToken cancel)
    {
        if (services.GetService<ConfigReloader>() is not { } reloader)
            return TypedResults.Problem("this service runs without a configuration file (--demo): nothing to reload", statusCode: StatusCodes.Status409Conflict, title: "Conflict");
        var result = await reloader.ReloadAsync(cancel);
        if (result.Applied) return TypedResults.Ok(result);
        return TypedResults.Problem(
            detail: $"{reloader.Path} is invalid; the running configuration is kept: " + string.Join("; ", result.Errors.Select(e => e.ToString())),
            statusCode: StatusCodes.Status400BadRequest, title: "Invalid configuration",
            extensions: new Dictionary<string, object?> { ["errors"] = result.Errors.ToList() });
    }
}
