using Aggregator.Core.Storage;
using Microsoft.AspNetCore.Diagnostics;

namespace Aggregator.Api;

/// <summary>
/// A read that meets a storage fault — the store reopening after a failed write, or a damaged page —
/// answers 503 problem+json with Retry-After instead of 500; a damaged page also marks <c>/health</c>.
/// </summary>
internal sealed class StorageFaults(IStoryStore store) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancel)
    {
        if (!IsStorage(exception)) return false;
        if (exception is LiteDB.LiteException) store.ReportDamage(exception);
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = "30";
        await TypedResults.Problem(title: "Storage unavailable", statusCode: StatusCodes.Status503ServiceUnavailable,
            detail: exception is StorageFaultException ? exception.Message : $"storage: {exception.Message}").ExecuteAsync(context);
        return true;
    }

    private static bool IsStorage(Exception e) => e is StorageFaultException or LiteDB.LiteException || e.InnerException is { } inner && IsStorage(inner);
}
