using System.Net.Http.Headers;
using Aggregator.Core.Configuration;
using Aggregator.Core.Fetching;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Aggregator.Webhooks;

/// <summary>What one delivery (with its quick retries) came to: 2xx, or the last status and error.</summary>
public sealed record DeliveryResult(bool Delivered, int? Status, string? Error);

/// <summary>
/// POSTs one signed event. The client connects through <see cref="GuardedConnector"/> (the address
/// policy of fetching: private networks refused unless allowed) and never follows redirects; the
/// resilience handler retries transient failures (5xx, 408, 429, network, timeouts) with jittered
/// exponential backoff, each attempt bounded in time.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory clients, LiveConfig config)
{
    public const string ClientName = "webhooks";

    public static void Register(IServiceCollection services, AggregatorConfig config)
    {
        services.AddHttpClient(ClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => GuardedConnector.CreateHandler(config.Http))
            .AddResilienceHandler("webhook", pipeline => pipeline
                .AddTimeout(TimeSpan.FromSeconds(60))
                .AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = 3,
                    Delay = TimeSpan.FromMilliseconds(500),
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    // A refused address stays refused: no point asking again.
                    ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is not { InnerException: BlockedAddressException }
                        && HttpClientResiliencePredicates.IsTransient(args.Outcome)),
                })
                .AddTimeout(TimeSpan.FromSeconds(10)));
        services.AddSingleton<WebhookSender>();
    }

    public async Task<DeliveryResult> SendAsync(WebhookConfig hook, long eventId, string type, byte[] body, CancellationToken cancel)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, hook.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation("User-Agent", config.Current.Http.UserAgent);
        request.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(body, hook.Secret));
        request.Headers.Add(WebhookSignature.EventIdHeader, eventId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.EventTypeHeader, type);
        try
        {
            // Only the status matters: the answer's body is never read.
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            return status is >= 200 and < 300 ? new DeliveryResult(true, status, null) : new DeliveryResult(false, status, $"webhook: HTTP {status} {response.ReasonPhrase}".TrimEnd());
        }
        catch (Exception e) when (!cancel.IsCancellationRequested)
        {
            return new DeliveryResult(false, null, $"webhook: {(e.InnerException is BlockedAddressException blocked ? blocked.Message.Replace("fetch: ", "", StringComparison.Ordinal) : e.Message)}");
        }
    }
}
