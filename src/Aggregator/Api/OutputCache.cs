using Aggregator.Core.Configuration;
using Aggregator.Core.Storage;

namespace Aggregator.Api;

/// <summary>
/// Rendered outputs (feed documents, API pages, reading pages), reused until what they show changes:
/// an entry is valid for one store version (moved only by story changes) and one configuration
/// generation. Readers polling every minute cost a dictionary lookup, not a query and a render.
/// Bounded: least recently used entries go first once there are <see cref="MaxEntries"/> of them or
/// their bodies pass <see cref="MaxBytes"/>.
/// </summary>
public sealed class OutputCache(IStoryStore store, LiveConfig config)
{
    public const int MaxEntries = 512;
    public const long MaxBytes = 16L * 1024 * 1024;

    private sealed record Entry(object Key, (long Store, long Config, long Extra) Version, Rendered Value);

    private readonly Lock _lock = new();
    private readonly Dictionary<object, LinkedListNode<Entry>> _entries = [];
    private readonly LinkedList<Entry> _recent = new();
    private long _bytes;

    public int Count { get { lock (_lock) return _entries.Count; } }

    public long Bytes { get { lock (_lock) return _bytes; } }

    /// <param name="key">What was asked (a value: a record or tuple of the normalised request).</param>
    /// <param name="extra">Something else the output depends on (a time bucket), compared like the version.</param>
    public Rendered GetOrCreate(object key, Func<Rendered> create, long extra = 0) => GetOrCreateFound(key, create, extra)!;

    /// <summary>As <see cref="GetOrCreate"/>, but a null (nothing found) is not kept: unknown ids cannot push real outputs out.</summary>
    public Rendered? GetOrCreateFound(object key, Func<Rendered?> create, long extra = 0)
    {
        // The version is read before the data is: an output stored under it is never older than it.
        var version = (store.Version, config.Generation, extra);
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var hit) && hit.Value.Version == version)
            {
                _recent.Remove(hit);
                _recent.AddFirst(hit);
                return hit.Value.Value;
            }
        }
        // Rendered outside the lock: two concurrent misses render the same output twice, and nobody waits.
        var value = create();
        if (value is null) return null;
        lock (_lock)
        {
            if (_entries.Remove(key, out var old)) Drop(old);
            var node = _recent.AddFirst(new Entry(key, version, value));
            _entries[key] = node;
            _bytes += value.Body.Length;
            while (_recent.Count > 1 && (_recent.Count > MaxEntries || _bytes > MaxBytes))
            {
                var last = _recent.Last!;
                _entries.Remove(last.Value.Key);
                Drop(last);
            }
        }
        return value;
    }

    private void Drop(LinkedListNode<Entry> node)
    {
        _recent.Remove(node);
        _bytes -= node.Value.Value.Body.Length;
    }
}
