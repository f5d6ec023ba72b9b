using Aggregator.Api;
using Aggregator.Core.Configuration;

namespace Aggregator.Webhooks;

/// <summary>Registers event payloads, the webhook client and delivery service, and the stream's gate.</summary>
public static class WebhookServices
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services, AggregatorConfig config)
    {
        services.AddSingleton<EventPayloads>();
        services.AddSingleton<StreamGate>();
        WebhookSender.Register(services, config);
        // Before the scheduler (hosted services start in order): new hooks' cursors are set before the first poll.
        services.AddHostedService<WebhookDelivery>();
        return services;
    }
}
