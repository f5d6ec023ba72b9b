using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using Aggregator.Core.Configuration;

namespace Aggregator.Core.Fetching;

/// <summary>
/// The one way Aggregator talks HTTP: a total deadline over headers and body, a size cap counted on
/// decoded bytes, redirects followed by hand (at most 5, http/https only), conditional GET, and a
/// global limit on concurrent requests.
/// </summary>
public sealed class HttpFetcher(IHttpClientFactory clients, HttpOptions options, ScheduleOptions schedule, TimeProvider time) : IDisposable
{
    public const string ClientName = "aggregator";
    private const int MaxRedirects = 5;
    private readonly SemaphoreSlim _slots = new(schedule.MaxConcurrentFetches);
    private readonly HostBudget _hosts = new(options.MaxConnectionsPerHost);

    public async Task<FetchResponse> FetchAsync(FetchRequest request, CancellationToken cancel)
    {
        // Politeness first (at most N requests per host, polls and article pages alike), then the
        // global limit; the deadline starts only once a request may actually go out.
        using var host = await _hosts.EnterAsync(request.Url.IdnHost, cancel).ConfigureAwait(false);
        await _slots.WaitAsync(cancel).ConfigureAwait(false);
        using var deadline = new CancellationTokenSource(options.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancel, deadline.Token);
        try
        {
            return await FollowAsync(request, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancel.IsCancellationRequested)
        {
            return FetchResponse.Failed(request.Url, new FetchError(FetchError.Timeout, $"fetch: no complete response within {options.Timeout.TotalSeconds:0} s"));
        }
        catch (HttpRequestException e) when (FindBlocked(e) is { } blocked)
        {
            return FetchResponse.Failed(request.Url, new FetchError(FetchError.BlockedAddress, blocked.Message));
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return FetchResponse.Failed(request.Url, new FetchError(FetchError.Network, $"fetch: {Innermost(e).Message}"));
        }
        finally
        {
            _slots.Release();
        }
    }

    private async Task<FetchResponse> FollowAsync(FetchRequest request, CancellationToken token)
    {
        var client = clients.CreateClient(ClientName);
        var url = request.Url;
        var permanent = true;
        for (var hop = 0; ; hop++)
        {
            if (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
                return FetchResponse.Failed(url, new FetchError(FetchError.BadScheme, $"fetch: refusing {url.Scheme}: URL (http and https only)"));
            if (IPAddress.TryParse(url.IdnHost, out var literal) && !options.Allows(literal))
                return FetchResponse.Failed(url, new FetchError(FetchError.BlockedAddress, $"fetch: {url.Host} is a private or reserved address (set http.allowPrivateNetworks to allow)"));

            using var message = BuildMessage(request, url);
            using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
            if (IsRedirect(response.StatusCode) && response.Headers.Location is { } location)
            {
                if (hop == MaxRedirects)
                    return FetchResponse.Failed(url, new FetchError(FetchError.TooManyRedirects, $"fetch: more than {MaxRedirects} redirects"), (int)response.StatusCode);
                url = location.IsAbsoluteUri ? location : new Uri(url, location);
                permanent &= response.StatusCode is HttpStatusCode.MovedPermanently or HttpStatusCode.PermanentRedirect;
                continue;
            }
            var result = await ReadAsync(url, response, token).ConfigureAwait(false);
            return result with
            {
                FreshUntil = CacheHints.FreshUntil(response, time.GetUtcNow()),
                RetryAfter = CacheHints.RetryAfter(response, time.GetUtcNow()),
                MovedPermanentlyTo = hop > 0 && permanent ? url : null,
            };
        }
    }

    private HttpRequestMessage BuildMessage(FetchRequest request, Uri url)
    {
        var message = new HttpRequestMessage(HttpMethod.Get, url);
        // Checked on every hop: a redirect to another site never carries the feed's credentials.
        var own = request.Site?.For(url);
        message.Headers.TryAddWithoutValidation("User-Agent", own?.UserAgent ?? options.UserAgent);
        message.Headers.TryAddWithoutValidation("Accept", own?.Headers.GetValueOrDefault("Accept") ?? request.Accept);
        if (own is not null)
        {
            foreach (var (name, value) in own.Headers.Where(h => h.Key != "Accept")) message.Headers.TryAddWithoutValidation(name, value);
            if (own.BasicAuth is { } auth) message.Headers.TryAddWithoutValidation("Authorization", auth.HeaderValue);
            if (own.Cookie is { } cookie) message.Headers.TryAddWithoutValidation("Cookie", cookie);
        }
        // RFC 9110 §13.1: validators go back exactly as the server sent them.
        if (request.ETag is not null) message.Headers.TryAddWithoutValidation("If-None-Match", request.ETag);
        if (request.LastModified is not null) message.Headers.TryAddWithoutValidation("If-Modified-Since", request.LastModified);
        return message;
    }

    private async Task<FetchResponse> ReadAsync(Uri url, HttpResponseMessage response, CancellationToken token)
    {
        var status = (int)response.StatusCode;
        var etag = response.Headers.TryGetValues("ETag", out var e) ? e.FirstOrDefault() : null;
        var lastModified = response.Content.Headers.TryGetValues("Last-Modified", out var lm) ? lm.FirstOrDefault() : null;
        if (response.StatusCode == HttpStatusCode.NotModified)
            return new FetchResponse(FetchOutcome.NotModified, url, status, [], null, etag, lastModified, null);
        if (status is < 200 or > 299)
            return FetchResponse.Failed(url, FetchError.ForStatus(status), status);
        if (response.Content.Headers.ContentLength > options.MaxResponseBytes)
            return FetchResponse.Failed(url, TooLarge(), status);

        var body = await ReadCappedAsync(response.Content, token).ConfigureAwait(false);
        if (body is null) return FetchResponse.Failed(url, TooLarge(), status);
        var contentType = response.Content.Headers.ContentType?.ToString();
        return new FetchResponse(FetchOutcome.Ok, url, status, body, contentType, etag, lastModified, null)
        {
            ContentLanguage = response.Content.Headers.ContentLanguage.FirstOrDefault(),
        };
    }

    /// <summary>Reads the decoded body; null when it passes the cap (a decompression bomb stops here).</summary>
    private async Task<byte[]?> ReadCappedAsync(HttpContent content, CancellationToken token)
    {
        await using var stream = await content.ReadAsStreamAsync(token).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, token).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > options.MaxResponseBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private FetchError TooLarge() =>
        new(FetchError.TooLarge, $"fetch: body exceeded {options.MaxResponseBytes / 1024.0 / 1024.0:0.##} MiB");

    private static bool IsRedirect(HttpStatusCode code) => code is HttpStatusCode.MovedPermanently or HttpStatusCode.Found
        or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    private static BlockedAddressException? FindBlocked(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
            if (x is BlockedAddressException b) return b;
        return null;
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e;
    }

    public void Dispose()
    {
        _slots.Dispose();
        _hosts.Dispose();
    }
}
