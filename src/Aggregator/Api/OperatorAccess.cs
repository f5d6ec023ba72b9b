using System.Security.Cryptography;
using System.Text;
using Aggregator.Core.Configuration;

namespace Aggregator.Api;

/// <summary>
/// Operator routes need the configured API key (X-Api-Key or Bearer, compared in constant time);
/// without a key they are open only to loopback callers that no proxy speaks for. Every operator
/// route is mapped in <see cref="MapOperatorGroup"/>, whose filter runs this check before the handler.
/// </summary>
internal static class OperatorAccess
{
    /// <summary>Endpoint metadata marking an operator route (tests enumerate them).</summary>
    public sealed class OperatorRoute;

    /// <summary>
    /// Headers a reverse proxy adds: a loopback connection carrying one is the proxy relaying someone
    /// else (RFC 7239 Forwarded; the de-facto X-Forwarded-*/X-Real-IP), so it is not trusted as local.
    /// </summary>
    public static readonly string[] ProxyHeaders = ["Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Real-IP"];

    public static RouteGroupBuilder MapOperatorGroup(this WebApplication app)
    {
        var group = app.MapGroup("");
        group.WithMetadata(new OperatorRoute());
        group.AddEndpointFilter(async (invocation, next) =>
        {
            var config = invocation.HttpContext.RequestServices.GetRequiredService<AggregatorConfig>();
            return Check(invocation.HttpContext, config.Api) is { } denied ? denied : await next(invocation);
        });
        return group;
    }

    public static IResult? Check(HttpContext context, ApiOptions api)
    {
        if (api.Key is null)
            return IsLocal(context) ? null
                : TypedResults.Problem("operator routes are open to direct loopback callers only until api.key is configured", statusCode: 403, title: "Forbidden");
        var given = context.Request.Headers["X-Api-Key"].FirstOrDefault() ?? FromAuthorization(context.Request.Headers.Authorization.FirstOrDefault());
        var ok = given is not null && CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(api.Key)));
        if (ok) return null;
        // RFC 9110 §11.6.1: a 401 names a scheme; Basic lets a browser (the /status page, no script) ask for the key as the password.
        context.Response.Headers.WWWAuthenticate = "Basic realm=\"Aggregator operator\", charset=\"UTF-8\"";
        return TypedResults.Problem("a valid API key is required (X-Api-Key header, Bearer, or as the Basic password)", statusCode: 401, title: "Unauthorized");
    }

    /// <summary><c>Bearer KEY</c>, or <c>Basic base64(any-user:KEY)</c> as a browser sends after the prompt.</summary>
    private static string? FromAuthorization(string? header)
    {
        if (header is null) return null;
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return header[7..].Trim();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return header;
        try
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            return pair.IndexOf(':') is var colon and >= 0 ? pair[(colon + 1)..] : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static bool IsLocal(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } ip && System.Net.IPAddress.IsLoopback(ip)
        && !ProxyHeaders.Any(h => context.Request.Headers.ContainsKey(h));
}
