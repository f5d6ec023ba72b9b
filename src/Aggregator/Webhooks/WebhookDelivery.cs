using Aggregator.Core.Configuration;
using Aggregator.Core.Storage;

namespace Aggregator.Webhooks;

/// <summary>
/// Delivers the outbox to every configured webhook, at least once and in order: each hook has a
/// cursor in the store (<see cref="WebhookStateRecord.LastDelivered"/>) that moves only after a 2xx,
/// so a crash or restart resumes where delivery stood. An event that still fails after the sender's
/// quick retries holds the hook (later events wait behind it) until <see cref="Backoff"/> has passed.
/// A hook seen for the first time starts after the newest event (it does not replay history). With
/// several nodes on one PostgreSQL store, one node at a time delivers each hook (<see cref="IStoryStore.ClaimWebhook"/>,
/// asked before each batch), so each event is POSTed once, and another node takes over when that one goes.
/// </summary>
public sealed class WebhookDelivery(IStoryStore store, LiveConfig config, WebhookSender sender, EventPayloads payloads, TimeProvider time,
    ILogger<WebhookDelivery> logger) : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);
    private const int Batch = 100;
    private readonly Dictionary<string, Task> _running = new(StringComparer.Ordinal);

    /// <summary>After a failed round: 5 s, 10 s, 20 s … at most 15 minutes.</summary>
    public static TimeSpan Backoff(int failures) =>
        TimeSpan.FromSeconds(Math.Min(5 * Math.Pow(2, Math.Clamp(failures - 1, 0, 20)), 15 * 60));

    /// <summary>New hooks get their cursor before the scheduler starts, so no event of the first poll is skipped.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var hook in config.Current.Webhooks)
        {
            try
            {
                await StateOfAsync(hook).ConfigureAwait(false);
            }
            catch (StorageFaultException e)
            {
                logger.LogWarning("Webhook {Hook}: its state cannot be read yet ({Error})", hook.Id, e.Message);
            }
        }
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Tick, time);
        try
        {
            do
            {
                foreach (var hook in config.Current.Webhooks)
                    if (!_running.TryGetValue(hook.Id, out var task) || task.IsCompleted)
                        _running[hook.Id] = Task.Run(() => RoundAsync(hook, stoppingToken), CancellationToken.None);
            } while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await Task.WhenAll(_running.Values).ConfigureAwait(false);
    }

    /// <summary>One round for one hook: everything pending, until it is delivered or an event fails. Never throws.</summary>
    private async Task RoundAsync(WebhookConfig hook, CancellationToken stop)
    {
        try
        {
            if (!store.ClaimWebhook(hook.Id)) return;
            // Read after the claim: a node taking over resumes from the cursor its predecessor saved.
            var state = await StateOfAsync(hook).ConfigureAwait(false);
            if (state.NextAttempt > Now) return;
            while (!stop.IsCancellationRequested)
            {
                var events = store.ReadEvents(state.LastDelivered, Batch);
                if (events.Count == 0) return;
                var skipped = false;
                foreach (var e in events)
                {
                    if (!hook.Wants(e.Type))
                    {
                        state.LastDelivered = e.Id;
                        skipped = true;
                        continue;
                    }
                    var result = await sender.SendAsync(hook, e.Id, e.Type, payloads.Serialize(e), stop).ConfigureAwait(false);
                    Record(hook, state, e, result);
                    await store.SaveWebhookStateAsync(state).ConfigureAwait(false);
                    skipped = false;
                    if (!result.Delivered) return;
                }
                if (skipped) await store.SaveWebhookStateAsync(state).ConfigureAwait(false);
                // A node whose session dropped meanwhile leaves the rest to the node that took the hook over.
                if (!store.ClaimWebhook(hook.Id)) return;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // A storage fault, most likely: the next round tries again from the stored cursor.
            logger.LogWarning("Webhook {Hook}: delivery round failed ({Error}); retrying", hook.Id, e.Message);
        }
    }

    private void Record(WebhookConfig hook, WebhookStateRecord state, OutboxEventRecord e, DeliveryResult result)
    {
        var now = Now;
        state.LastAttempt = now;
        state.LastStatus = result.Status;
        if (result.Delivered)
        {
            state.LastDelivered = e.Id;
            state.LastSuccess = now;
            state.LastError = null;
            state.Failures = 0;
            state.NextAttempt = null;
            return;
        }
        state.Failures++;
        state.LastError = result.Error;
        state.NextAttempt = now + Backoff(state.Failures);
        logger.LogWarning("Webhook {Hook}: event {EventId} ({Type}) not delivered ({Error}); attempt {Failures}, next at {Next:u}",
            hook.Id, e.Id, e.Type, result.Error, state.Failures, state.NextAttempt);
    }

    private async Task<WebhookStateRecord> StateOfAsync(WebhookConfig hook)
    {
        if (store.GetWebhookState(hook.Id) is { } state) return state;
        state = new WebhookStateRecord { Id = hook.Id, LastDelivered = store.LatestEventId };
        await store.SaveWebhookStateAsync(state).ConfigureAwait(false);
        return state;
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;
}
