using Aggregator.Core.Configuration;
using Aggregator.Core.Pipeline;
using Aggregator.Core.Storage;
using Microsoft.AspNetCore.Http.Features;

namespace Aggregator.Api;

/// <summary>
/// <c>POST /status/split</c>: the status page's split button, a plain HTML form (story, url, feedId)
/// doing what <c>POST /api/stories/{id}/split</c> does, then back to <c>/status</c> (303) with a notice.
/// An operator route; and since a browser sends its credentials with any form, wherever it comes
/// from, the post must come from this site's own page: <c>Sec-Fetch-Site: same-origin</c>, or else
/// an <c>Origin</c> equal to this site's (cross-site request forgery is refused with 403).
/// </summary>
internal static class StatusSplit
{
    private const int MaxBytes = 16 * 1024;
    private static readonly FormOptions Limits = new() { ValueCountLimit = 8, KeyLengthLimit = 32, ValueLengthLimit = 4096, BufferBody = false };

    public static void Map(RouteGroupBuilder operators) =>
        operators.MapPost("/status/split", SplitAsync)
            .WithSummary("The status page's split button (operator; an HTML form: story, url, feedId). Refused with 403 unless the post comes from this site's own page (Sec-Fetch-Site same-origin, or a matching Origin). Answers 303 to /status.");

    /// <summary>The notice for a <c>?split=</c> code, from a fixed set (nothing from the request is reflected).</summary>
    public static string? Notice(string? code) => code switch
    {
        "done" => "Split: the source is a story of its own now.",
        "no-story" => "That story no longer exists.",
        "no-source" => "That story has no such source any more.",
        "only-source" => "That source is the story's only one: nothing to split.",
        _ => null,
    };

    private static async Task<IResult> SplitAsync(HttpContext context, AggregatorConfig config, StorySplitter splitter, CancellationToken cancel)
    {
        if (!SameOrigin(context.Request))
            return TypedResults.Problem("a split form must be posted from this site's own /status page (Sec-Fetch-Site same-origin or a matching Origin)", statusCode: 403, title: "Forbidden");
        if (!context.Request.HasFormContentType)
            return Problems.BadParameter("body", "expected an HTML form (application/x-www-form-urlencoded)", StatusCodes.Status415UnsupportedMediaType);
        if (context.Request.ContentLength > MaxBytes) return Problems.BadParameter("body", $"at most {MaxBytes / 1024} KB", StatusCodes.Status413PayloadTooLarge);
        IFormCollection form;
        try
        {
            form = await new FormFeature(context.Request, Limits).ReadFormAsync(cancel);
        }
        catch (InvalidDataException e)
        {
            return Problems.BadParameter("body", e.Message);
        }
        var story = form["story"].ToString();
        var url = form["url"].ToString();
        var feedId = form["feedId"].ToString() is { Length: > 0 } f ? f : null;
        if (story.Length == 0) return Problems.BadParameter("story", "the story id is required");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
            return Problems.BadParameter("url", "an absolute http(s) URL of the source is required");
        if (feedId is not null && config.FindFeed(feedId) is null) return Problems.BadParameter("feedId", $"\"{feedId}\" is not a configured feed id");
        var result = await splitter.SplitAsync(story, url, feedId, cancel);
        var code = result.Outcome switch
        {
            SplitOutcome.Split => "done",
            SplitOutcome.NoStory => "no-story",
            SplitOutcome.NoSource => "no-source",
            _ => "only-source",
        };
        return new SeeOther($"/status?split={code}");
    }

    /// <summary>Fetch metadata first (every current browser sends it); else the Origin, compared with this request's own scheme and host.</summary>
    internal static bool SameOrigin(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0) return site == "same-origin";
        var origin = request.Headers.Origin.ToString();
        return origin.Length > 0 && origin != "null" && Uri.TryCreate(origin, UriKind.Absolute, out var o)
            && string.Equals($"{o.Scheme}://{o.Authority}", $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>303 See Other: the browser follows with a GET (RFC 9110 §15.4.4).</summary>
    private sealed class SeeOther(string location) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            context.Response.StatusCode = StatusCodes.Status303SeeOther;
            context.Response.Headers.Location = location;
            return Task.CompletedTask;
        }
    }
}
