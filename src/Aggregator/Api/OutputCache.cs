using System.Collections.Concurrent;
using Aggregator.Core.Storage;

namespace Aggregator.Api;

/// <summary>
/// Outputs computed from stored stories (feed documents, story pages), reused until the store's
/// version changes: readers polling every minute cost a dictionary lookup, not a query and a render.
/// </summary>
public sealed class OutputCache(IStoryStore store, Core.Configuration.LiveConfig config)
{
    private const int MaxEntries = 512;
    private readonly ConcurrentDictionary<object, (long Version, object Value)> _entries = new();

    public T GetOrCreate<T>(object key, Func<T> create) where T : notnull
    {
        // A reload (titles, feeds, output options) invalidates outputs as a data change does.
        var version = store.Version * 1_000_003 + config.Generation;
        if (_entries.TryGetValue(key, out var hit) && hit.Version == version) return (T)hit.Value;
        var value = create();
        if (_entries.Count >= MaxEntries) _entries.Clear();
        _entries[key] = (version, value);
        return value;
    }
}
