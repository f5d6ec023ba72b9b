using System.Threading.Channels;
using LiteDB;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aggregator.Core.Storage;

/// <summary>
/// The one writer of the database: changes queue up and a single loop applies them in batches,
/// one LiteDB transaction per batch (a commit per batch instead of per document, and no thread
/// ever blocks on a lock). A change's task completes only after its batch has committed. If a
/// batch fails, its changes are retried one by one so that one bad change fails alone.
/// <para>
/// A storage fault (disk full, a read-only or damaged file) fails the batch with
/// <see cref="StorageFaultException"/>, never the loop: LiteDB's memory may then hold the
/// failed transaction (readers would see what the file never kept), so the database is closed and
/// loaded again from disk at once, and writes fail fast until a retry, with backoff, commits again —
/// a queued probe makes sure that happens even when nothing else writes.
/// </para>
/// </summary>
internal sealed class StoreWriter : IDisposable
{
    private const int MaxBatch = 64;
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(30);
    private readonly Func<StoreData> _open;
    private readonly TimeProvider _time;
    private readonly Channel<Change> _queue = Channel.CreateUnbounded<Change>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;
    private readonly List<Action> _afterCommit = [];
    private readonly Dictionary<object, Action> _beforeCommit = [];
    private readonly ITimer _probe;
    private StoreData? _data;
    private long _version;
    private volatile StoreHealth _health = StoreHealth.Healthy;
    private DateTimeOffset _retryAt;
    private TimeSpan _retryDelay = FirstRetry;

    /// <summary>
    /// Bumped after every committed batch that changed what outputs show (stories and their sources):
    /// anything derived from them may be cached per version. Feed-state and site-profile saves, made on
    /// every poll and article, do not move it, so a poll that changed nothing keeps every cache warm.
    /// </summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>The open database; null only while it cannot even be opened again after a fault.</summary>
    public StoreData? Data => Volatile.Read(ref _data);

    public StoreHealth Health => _health;

    public ILogger Logger { get; set; } = NullLogger.Instance;

    public StoreWriter(StoreData data, Func<StoreData> open, TimeProvider time)
    {
        _data = data;
        _open = open;
        _time = time;
        _loop = Task.Run(RunAsync);
        _probe = time.CreateTimer(_ => ProbeIfFaulted(), null, FirstRetry, FirstRetry);
    }

    public Task<T> WriteAsync<T>(Func<StoreData, T> change, bool transactional = true, bool changesStories = true)
    {
        var item = new Change<T>(change, transactional) { ChangesStories = changesStories };
        if (!_queue.Writer.TryWrite(item)) throw new ObjectDisposedException(nameof(StoryStore), "storage: the store is closed");
        return item.Task;
    }

    /// <summary>
    /// For changes that keep in-memory state beside the database: <paramref name="action"/> runs once
    /// the current transaction has committed, and never if it rolls back. Writer thread only.
    /// </summary>
    public void OnCommit(Action action) => _afterCommit.Add(action);

    /// <summary>
    /// A write that only the batch's last state needs (a site profile that several articles of one
    /// batch update): runs once per <paramref name="key"/>, after the batch's changes and inside its
    /// transaction; a later registration for the same key in the batch replaces the earlier. Writer thread only.
    /// </summary>
    public void BeforeCommit(object key, Action write) => _beforeCommit[key] = write;

    private void RunBeforeCommit()
    {
        foreach (var write in _beforeCommit.Values) write();
        _beforeCommit.Clear();
    }

    /// <summary>A read hit a damaged page: reported by <c>/health</c> until the file is repaired.</summary>
    public void ReportDamage(Exception e)
    {
        if (_health.Damaged is not null) return;
        _health = _health with { Damaged = $"storage: the database file is damaged ({e.Message}); stop the service and run 'aggregator check --repair'" };
        Logger.LogError(e, "Storage: a read hit a damaged page of the database");
    }

    private async Task RunAsync()
    {
        var batch = new List<Change>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryPeek(out var next) && (batch.Count == 0 || next.Transactional))
            {
                _queue.Reader.TryRead(out var item);
                batch.Add(item!);
                if (!item!.Transactional) break;
            }
            try
            {
                if (Ready() is { } data) Apply(data, batch);
                else foreach (var change in batch) change.Fail(new StorageFaultException(_health.Error ?? "storage: unavailable", null));
            }
            catch (Exception e)
            {
                // Never the loop: whatever escaped fails this batch, and the next one starts afresh.
                Fault(e);
                foreach (var change in batch) change.Fail(new StorageFaultException(Message(e), e));
            }
            batch.Clear();
        }
    }

    /// <summary>The database to write to now: after a fault, only once the retry time has come (reopened if need be).</summary>
    private StoreData? Ready()
    {
        if (_health.Writable) return _data;
        if (_time.GetUtcNow() < _retryAt) return null;
        _retryAt = _time.GetUtcNow() + _retryDelay;
        _retryDelay = TimeSpan.FromTicks(Math.Min(_retryDelay.Ticks * 2, MaxRetry.Ticks));
        return _data ?? Reopen();
    }

    private void Apply(StoreData data, List<Change> batch)
    {
        lock (data.Gate) ApplyLocked(data, batch);
    }

    private void ApplyLocked(StoreData data, List<Change> batch)
    {
        if (!batch[0].Transactional)
        {
            Run(batch[0], data);
            return;
        }
        try
        {
            data.Db.BeginTrans();
            foreach (var change in batch) change.Run(data);
            RunBeforeCommit();
            data.RetireSnapshot();
        }
        catch (Exception e) when (!IsStorageFault(e) && TryRollback(data))
        {
            if (batch.Count > 1) foreach (var change in batch) ApplyLocked(data, [change]);
            else batch[0].Fail(e);
            return;
        }
        // A failure from here on (or a fault above) is the storage's, not one change's.
        data.Db.Commit();
        data.Index.CommitStaged();
        data.Near.CommitStaged();
        if (data.Search.HasStaged) data.SnapshotToken = null;
        data.Search.CommitStaged();
        Volatile.Write(ref data.CommittedEventId, data.LastEventId);
        foreach (var action in _afterCommit) action();
        _afterCommit.Clear();
        if (batch.Exists(c => c.ChangesStories)) Interlocked.Increment(ref _version);
        Recovered();
        foreach (var change in batch) change.Complete();
    }

    private void Run(Change change, StoreData data)
    {
        try
        {
            change.Run(data);
            RunBeforeCommit();
            foreach (var action in _afterCommit) action();
            _afterCommit.Clear();
            change.Complete();
        }
        catch (Exception e) when (!IsStorageFault(e))
        {
            _beforeCommit.Clear();
            _afterCommit.Clear();
            change.Fail(e);
        }
    }

    private bool TryRollback(StoreData data)
    {
        data.Index.DiscardStaged();
        data.Near.DiscardStaged();
        data.Search.DiscardStaged();
        _beforeCommit.Clear();
        _afterCommit.Clear();
        try
        {
            data.Db.Rollback();
            return true;
        }
        catch (Exception)
        {
            return false;
        }
    }

    /// <summary>Records the fault, throws away the database and what memory holds beside it, and loads both again from the file.</summary>
    private void Fault(Exception e)
    {
        _beforeCommit.Clear();
        _afterCommit.Clear();
        if (_health.Writable)
        {
            _retryDelay = FirstRetry;
            _retryAt = _time.GetUtcNow() + _retryDelay;
            Logger.LogError(e, "Storage: writes are failing ({Error}); retrying, with backoff, until they commit again", Message(e));
        }
        _health = _health with { Writable = false, Error = Message(e), Since = _health.Since ?? _time.GetUtcNow() };
        var old = Interlocked.Exchange(ref _data, null);
        if (old is not null) LiteDbQuirks.AbandonTransactions(old.Db);
        try { old?.Dispose(); } catch (Exception) { /* a file that failed to write may fail to close: it is reopened below */ }
        Reopen();
    }

    private StoreData? Reopen()
    {
        try
        {
            Volatile.Write(ref _data, _open());
        }
        catch (Exception e)
        {
            Logger.LogWarning("Storage: the database cannot be opened again yet: {Error}", e.Message);
        }
        return _data;
    }

    private void Recovered()
    {
        if (_health.Writable) return;
        Logger.LogInformation("Storage: writes commit again (failing since {Since:u})", _health.Since);
        _health = _health with { Writable = true, Error = null, Since = null };
        _retryDelay = FirstRetry;
    }

    /// <summary>While faulted, a tiny write is queued so that recovery does not wait for the next real one.</summary>
    private void ProbeIfFaulted()
    {
        if (_health.Writable || _time.GetUtcNow() < _retryAt || _queue.Reader.TryPeek(out _)) return;
        try
        {
            _ = WriteAsync(d => d.Db.GetCollection("meta").Upsert(new BsonDocument { ["_id"] = "probe", ["at"] = _time.GetUtcNow().UtcDateTime }), changesStories: false)
                .ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
        }
        catch (ObjectDisposedException) { /* closing */ }
    }

    /// <summary>Faults of the file or the engine, as opposed to a change's own error (a bug, a duplicate key).</summary>
    public static bool IsStorageFault(Exception e) => e switch
    {
        IOException or UnauthorizedAccessException or ObjectDisposedException => true,
        LiteException lite => lite.ErrorCode != LiteException.INDEX_DUPLICATE_KEY,
        AggregateException or InvalidOperationException when e.InnerException is { } inner => IsStorageFault(inner),
        _ => false,
    };

    private static string Message(Exception e) => $"storage: {e.Message}";

    /// <summary>Applies everything queued (each change committed or failed), then stops.</summary>
    public void Dispose()
    {
        _probe.Dispose();
        _queue.Writer.TryComplete();
        _loop.GetAwaiter().GetResult();
        try { Data?.Dispose(); }
        catch (Exception e) { Logger.LogError(e, "Storage: closing the database failed"); }
    }

    private abstract class Change(bool transactional)
    {
        public bool Transactional { get; } = transactional;
        public bool ChangesStories { get; init; } = true;
        public abstract void Run(StoreData data);
        public abstract void Complete();
        public abstract void Fail(Exception e);
    }

    private sealed class Change<T>(Func<StoreData, T> change, bool transactional) : Change(transactional)
    {
        private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;
        public Task<T> Task => _done.Task;
        public override void Run(StoreData data) => _result = change(data);
        public override void Complete() => _done.TrySetResult(_result!);
        public override void Fail(Exception e) => _done.TrySetException(e);
    }
}

/// <summary>Whether the store can write, since when it cannot and why; and whether a read found the file damaged.</summary>
public sealed record StoreHealth(bool Writable, string? Error, DateTimeOffset? Since, string? Damaged)
{
    public static readonly StoreHealth Healthy = new(true, null, null, null);
    public bool Ok => Writable && Damaged is null;
}

/// <summary>The store could not write (or read) because of its file or engine, not because of the change.</summary>
public sealed class StorageFaultException(string message, Exception? inner) : Exception(message, inner);

/// <summary>A backup could not be written (its own disk or folder): the database itself is fine.</summary>
public sealed class BackupFailedException(string message, Exception inner) : Exception(message, inner);
