using System.Collections.Concurrent;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Aggregator.Core.Storage.Postgres;

/// <summary>
/// The Storage stage on PostgreSQL, shared by every node of a cluster. Each write is one
/// transaction on a pooled connection; matching runs inside it (<see cref="PostgresLookups"/>)
/// after transaction-scoped advisory locks on the item's keys and LSH bands, so one article makes
/// one story whichever nodes ingest its copies. Readers query the database; <see cref="Version"/>
/// (bumped by every committed write, on any node) is cached for at most <see cref="VersionTtl"/>.
/// </summary>
public sealed partial class PostgresStoryStore : IStoryStore
{
    private static readonly TimeSpan VersionTtl = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan ProfileTtl = TimeSpan.FromSeconds(5);
    private const int MaxAttempts = 5;
    private const int VersionSlots = 16;
    private readonly NpgsqlDataSource _source;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, FeedStateRecord> _unsavedFeedStates = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (DateTimeOffset At, IReadOnlySet<long> Set)> _learned = new(StringComparer.Ordinal);
    private volatile StoreHealth _health = StoreHealth.Healthy;
    private long _version;
    private long _versionReadAt = long.MinValue;
    private (long Version, int Count, DateTime Newest)? _counts;

    public ILogger Logger { get; set; } = NullLogger.Instance;

    /// <summary>The retention horizon (kept for parity with LiteDB's near-duplicate index; the window bounds matching here).</summary>
    public TimeSpan Horizon { get; }

    private PostgresStoryStore(NpgsqlDataSource source, TimeProvider time, TimeSpan horizon)
    {
        _source = source;
        _time = time;
        Horizon = horizon;
    }

    /// <summary>
    /// Connects, applies pending migrations (under an advisory lock: nodes may start together) and
    /// returns the store. Throws <see cref="StorageFaultException"/> when the server cannot be reached.
    /// </summary>
    public static PostgresStoryStore Open(string connectionString, TimeProvider time, TimeSpan? horizon = null)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        // Never a hang: a server that stops answering fails the command, and the write, within these.
        if (!connectionString.Contains("Timeout", StringComparison.OrdinalIgnoreCase))
        {
            builder.Timeout = 10;
            builder.CommandTimeout = 30;
        }
        var source = NpgsqlDataSource.Create(builder.ConnectionString);
        try
        {
            PostgresSchema.Migrate(source);
            PostgresSearch.Backfill(source);
            var store = new PostgresStoryStore(source, time, horizon ?? StoryStore.DefaultHorizon);
            _ = store.Version;
            return store;
        }
        catch (Exception e) when (IsStorageFault(e))
        {
            source.Dispose();
            throw new StorageFaultException(Message(e), e);
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    public StoreHealth Health => _health;

    public void ReportDamage(Exception e)
    {
        if (_health.Damaged is not null) return;
        _health = _health with { Damaged = $"storage: a read failed ({e.Message})" };
        Logger.LogError(e, "Storage: a read failed");
    }

    /// <summary>The sum of the store_version counters, read at most every 250 ms (a write on another node shows here within that) and after each write of this node.</summary>
    public long Version
    {
        get
        {
            var now = _time.GetTimestamp();
            var readAt = Interlocked.Read(ref _versionReadAt);
            if (readAt != long.MinValue && _time.GetElapsedTime(readAt, now) < VersionTtl) return Interlocked.Read(ref _version);
            try
            {
                var v = Read(s => Convert.ToInt64(s.Scalar("SELECT sum(version) FROM store_version"), System.Globalization.CultureInfo.InvariantCulture));
                Raise(v);
                Interlocked.Exchange(ref _versionReadAt, now);
            }
            catch (StorageFaultException)
            {
                // The last version known stands while the server cannot be asked.
            }
            return Interlocked.Read(ref _version);
        }
    }

    private void Raise(long version)
    {
        long seen;
        while ((seen = Interlocked.Read(ref _version)) < version && Interlocked.CompareExchange(ref _version, version, seen) != seen) { }
    }

    /// <summary>Runs a read on a pooled connection; a connection or server fault becomes a <see cref="StorageFaultException"/>.</summary>
    private T Read<T>(Func<PostgresSession, T> read)
    {
        try
        {
            using var connection = _source.OpenConnection();
            return read(new PostgresSession(connection, null));
        }
        catch (Exception e) when (IsStorageFault(e))
        {
            throw new StorageFaultException(Message(e), e);
        }
    }

    /// <summary>
    /// Runs a write in one transaction: advisory <paramref name="locks"/> first (sorted), then
    /// <paramref name="write"/>, then the version bump (only for writes that change stories: feed-state
    /// and site-profile saves leave cached outputs valid), then commit. A deadlock or serialization
    /// failure is retried; a storage fault fails the write and shows in <see cref="Health"/> until one commits again.
    /// </summary>
    private Task<T> WriteAsync<T>(Func<PostgresSession, T> write, IEnumerable<long>? locks = null, bool changesStories = true) => Task.Run(() =>
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var connection = _source.OpenConnection();
                using var tx = connection.BeginTransaction();
                var session = new PostgresSession(connection, tx);
                if (locks is not null) session.Lock(locks);
                var result = write(session);
                if (changesStories) session.Execute("UPDATE store_version SET version = version + 1 WHERE id = @slot", ("slot", Random.Shared.Next(VersionSlots)));
                tx.Commit();
                // This node's next Version read asks the server, so its own write shows at once.
                Interlocked.Exchange(ref _versionReadAt, long.MinValue);
                Recovered();
                return result;
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure && attempt < MaxAttempts)
            {
                // Another node held what this write needed: its commit is visible on the next try.
            }
            catch (Exception e) when (IsStorageFault(e))
            {
                Fault(e);
                throw new StorageFaultException(Message(e), e);
            }
        }
    });

    private void Fault(Exception e)
    {
        if (_health.Writable) Logger.LogError(e, "Storage: writes are failing ({Error})", Message(e));
        _health = _health with { Writable = false, Error = Message(e), Since = _health.Since ?? _time.GetUtcNow() };
    }

    private void Recovered()
    {
        if (_health.Writable) return;
        Logger.LogInformation("Storage: writes commit again (failing since {Since:u})", _health.Since);
        _health = _health with { Writable = true, Error = null, Since = null };
    }

    /// <summary>Faults of the connection or the server (down, unreachable, read-only, out of space), as opposed to a write's own error.</summary>
    internal static bool IsStorageFault(Exception e) => e switch
    {
        PostgresException p => p.SqlState.StartsWith("08", StringComparison.Ordinal) || p.SqlState.StartsWith("53", StringComparison.Ordinal)
            || p.SqlState.StartsWith("57", StringComparison.Ordinal) || p.SqlState.StartsWith("58", StringComparison.Ordinal)
            || p.SqlState.StartsWith("XX", StringComparison.Ordinal) || p.SqlState == PostgresErrorCodes.ReadOnlySqlTransaction
            || p.SqlState == PostgresErrorCodes.InvalidCatalogName || p.SqlState == PostgresErrorCodes.InvalidPassword,
        NpgsqlException or IOException or SocketException or TimeoutException or ObjectDisposedException => true,
        InvalidOperationException when e.InnerException is { } inner => IsStorageFault(inner),
        _ => false,
    };

    private static string Message(Exception e) => e.Message.StartsWith("storage: ", StringComparison.Ordinal) ? e.Message : $"storage: {e.Message}";

    /// <summary>Nothing to give back: PostgreSQL's autovacuum does; ANALYZE keeps the planner's picture fresh after bulk deletes.</summary>
    public Task CheckpointAsync() => Task.Run(() => Read(s => s.Execute("ANALYZE stories; ANALYZE story_keys; ANALYZE story_bands")));

    /// <summary>Tables and indexes of the store (pg_total_relation_size).</summary>
    public long StorageBytes => Read(s => Convert.ToInt64(
        s.Scalar("SELECT sum(pg_total_relation_size(t::regclass)) FROM unnest(@t) AS t", ("t", PostgresSchema.Tables)), System.Globalization.CultureInfo.InvariantCulture));

    public void Dispose() => _source.Dispose();
}
