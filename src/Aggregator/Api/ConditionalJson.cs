using System.Security.Cryptography;

namespace Aggregator.Api;

/// <summary>
/// Conditional GET for the JSON API: successful GET responses under /api/ get a strong ETag over
/// their bytes and a short Cache-Control; a matching If-None-Match gets 304 with no body.
/// Endpoints that render and cache their own bytes with validators (<see cref="Conditional.SelfValidating"/>:
/// the story list, the generated feeds) are left alone, so they are neither buffered nor hashed per request.
/// </summary>
internal static class ConditionalJson
{
    public static void UseConditionalJson(this WebApplication app) => app.Use(async (context, next) =>
    {
        // The event stream never ends: buffering it would send nothing, ever.
        if (!HttpMethods.IsGet(context.Request.Method) || !context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/api/stream")
            || context.GetEndpoint()?.Metadata.GetMetadata<Conditional.SelfValidating>() is not null)
        {
            await next();
            return;
        }
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next();
        }
        finally
        {
            context.Response.Body = original;
        }
        if (context.Response.StatusCode == StatusCodes.Status200OK)
        {
            var etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)))[..32]}\"";
            context.Response.Headers.ETag = etag;
            context.Response.Headers.CacheControl = "public, max-age=30";
            if (Conditional.Matches(context.Request.Headers.IfNoneMatch, etag))
            {
                context.Response.StatusCode = StatusCodes.Status304NotModified;
                context.Response.ContentLength = 0;
                return;
            }
        }
        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    });
}
