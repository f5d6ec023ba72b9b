using System.Threading.Channels;
using LiteDB;

namespace Aggregator.Core.Storage;

/// <summary>
/// The one writer of the database: changes queue up and a single loop applies them in batches,
/// one LiteDB transaction per batch (a commit per batch instead of per document, and no thread
/// ever blocks on a lock). A change's task completes only after its batch has committed. If a
/// batch fails, its changes are retried one by one so that one bad change fails alone.
/// </summary>
internal sealed class StoreWriter : IDisposable
{
    private const int MaxBatch = 64;
    private readonly LiteDatabase _db;
    private readonly KeyIndex _index;
    private readonly NearDuplicateIndex _near;
    private readonly Channel<Change> _queue = Channel.CreateUnbounded<Change>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;
    private readonly List<Action> _afterCommit = [];
    private long _version;

    /// <summary>Bumped after every committed batch: anything derived from the data may be cached per version.</summary>
    public long Version => Interlocked.Read(ref _version);

    public StoreWriter(LiteDatabase db, KeyIndex index, NearDuplicateIndex near)
    {
        _db = db;
        _index = index;
        _near = near;
        _loop = Task.Run(RunAsync);
    }

    public Task<T> WriteAsync<T>(Func<T> change, bool transactional = true)
    {
        var item = new Change<T>(change, transactional);
        if (!_queue.Writer.TryWrite(item)) throw new ObjectDisposedException(nameof(StoryStore), "storage: the store is closed");
        return item.Task;
    }

    /// <summary>
    /// For changes that keep in-memory state beside the database: <paramref name="action"/> runs once
    /// the current transaction has committed, and never if it rolls back. Writer thread only.
    /// </summary>
    public void OnCommit(Action action) => _afterCommit.Add(action);

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
            Apply(batch);
            batch.Clear();
        }
    }

    private void Apply(List<Change> batch)
    {
        if (!batch[0].Transactional)
        {
            Run(batch[0]);
            return;
        }
        _db.BeginTrans();
        try
        {
            foreach (var change in batch) change.Run();
            _db.Commit();
            _index.CommitStaged();
            _near.CommitStaged();
            foreach (var action in _afterCommit) action();
            _afterCommit.Clear();
            Interlocked.Increment(ref _version);
            foreach (var change in batch) change.Complete();
        }
        catch (Exception) when (batch.Count > 1)
        {
            Rollback();
            foreach (var change in batch) Apply([change]);
        }
        catch (Exception e)
        {
            Rollback();
            batch[0].Fail(e);
        }
    }

    private void Run(Change change)
    {
        try
        {
            change.Run();
            foreach (var action in _afterCommit) action();
            _afterCommit.Clear();
            change.Complete();
        }
        catch (Exception e)
        {
            change.Fail(e);
        }
    }

    private void Rollback()
    {
        _db.Rollback();
        _index.DiscardStaged();
        _near.DiscardStaged();
        _afterCommit.Clear();
    }

    /// <summary>Applies everything queued, then stops.</summary>
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _loop.GetAwaiter().GetResult();
    }

    private abstract class Change(bool transactional)
    {
        public bool Transactional { get; } = transactional;
        public abstract void Run();
        public abstract void Complete();
        public abstract void Fail(Exception e);
    }

    private sealed class Change<T>(Func<T> change, bool transactional) : Change(transactional)
    {
        private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;
        public Task<T> Task => _done.Task;
        public override void Run() => _result = change();
        public override void Complete() => _done.TrySetResult(_result!);
        public override void Fail(Exception e) => _done.TrySetException(e);
    }
}
