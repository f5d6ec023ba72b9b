using System.Collections.Concurrent;

namespace Aggregator.Core.Fetching;

/// <summary>At most N requests in flight per host name, shared by everything that fetches.</summary>
internal sealed class HostBudget(int perHost) : IDisposable
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _hosts = new(StringComparer.OrdinalIgnoreCase);

    public async Task<IDisposable> EnterAsync(string host, CancellationToken cancel)
    {
        var gate = _hosts.GetOrAdd(host, _ => new SemaphoreSlim(perHost));
        await gate.WaitAsync(cancel).ConfigureAwait(false);
        return new Release(gate);
    }

    public void Dispose()
    {
        foreach (var gate in _hosts.Values) gate.Dispose();
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private int _done;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) gate.Release();
        }
    }
}
