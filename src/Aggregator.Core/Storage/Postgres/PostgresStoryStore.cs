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
    private readonly PostgresSiteProfiles _profiles;
    private readonly PostgresWebhookClaims _claims;
    private volatile StoreHealth _health = StoreHealth.Healthy;
    private Snapshot _snapshot = new(0, 0, DateTime.MinValue);
    private long _versionReadAt = long.MinValue;

    /// <summary>What one read of the version slots gives: the version, the story count and the newest publication time, together.</summary>
    private sealed record Snapshot(long Version, int Stories, DateTime Newest);

    public ILogger Logger { get; set; } = NullLogger.Instance;

    /// <summary>The retention horizon: as in LiteDB's near-duplicate index, only stories published within it of the newest story stored are candidates.</summary>
    public TimeSpan Horizon { get; }

    private PostgresStoryStore(NpgsqlDataSource source, string connectionString, TimeProvider time, TimeSpan horizon)
    {
        _source = source;
        _claims = new PostgresWebhookClaims(connectionString);
        _time = time;
        Horizon = horizon;
        _profiles = new PostgresSiteProfiles(save => WriteAsync(save, changesStories: false, transactional: false),
            (site, set) => _learned[site] = (_time.GetUtcNow(), set));
    }

    /// <summary>
    /// Connects, applies pending migrations (under an advisory lock: nodes may start together) and
    /// returns the store. Throws <see cref="StorageFaultException"/> when the server cannot be reached.
    /// </summary>
    public static PostgresStoryStore Open(string connectionString, TimeProvider time, TimeSpan? horizon = null)
    {
        var settings = Settings(connectionString);
        var source = NpgsqlDataSource.Create(settings);
        try
        {
            PostgresSchema.Migrate(source);
            PostgresSearch.Backfill(source);
            var store = new PostgresStoryStore(source, settings, time, horizon ?? StoryStore.DefaultHorizon);
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

    /// <summary>
    /// Applies pending migrations (ours and Quartz's tables) and returns the schema version found and
    /// reached; <c>aggregator migrate</c>. Throws <see cref="StorageFaultException"/> when the server cannot be reached.
    /// </summary>
    public static (int From, int To) Migrate(string connectionString)
    {
        using var source = NpgsqlDataSource.Create(Settings(connectionString));
        try
        {
            return PostgresSchema.Migrate(source);
        }
        catch (Exception e) when (IsStorageFault(e))
        {
            throw new StorageFaultException(Message(e), e);
        }
    }

    /// <summary>The connection string with the store's defaults for what it leaves out.</summary>
    private static string Settings(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        // Never a hang: a server that stops answering fails the command, and the write, within these.
        if (!connectionString.Contains("Timeout", StringComparison.OrdinalIgnoreCase))
        {
            builder.Timeout = 10;
            builder.CommandTimeout = 30;
        }
        // The store sends the same few statements all day: prepared once per connection, they skip parse and plan.
        if (!connectionString.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxAutoPrepare = 64;
            builder.AutoPrepareMinUsages = 2;
        }
        return builder.ConnectionString;
    }

    public StoreHealth Health => _health;

    public void ReportDamage(Exception e)
    {
        if (_health.Damaged is not null) return;
        _health = _health with { Damaged = $"storage: a read failed ({e.Message})" };
        Logger.LogError(e, "Storage: a read failed");
    }

    /// <summary>The sum of the store_version counters, read at most every 250 ms (a write on another node shows here within that) and after each write of this node.</summary>
    public long Version => Current().Version;

    /// <summary>Stories stored: the sum of the slots' counts, kept by every write in its own transaction (O(1), read with the version).</summary>
    public int StoryCount => Current().Stories;

    public DateTime NewestPublished => Current().Newest;

    /// <summary>The snapshot of the last 250 ms; the last one known while the server cannot be asked.</summary>
    private Snapshot Current()
    {
        var now = _time.GetTimestamp();
        var readAt = Interlocked.Read(ref _versionReadAt);
        if (readAt != long.MinValue && _time.GetElapsedTime(readAt, now) < VersionTtl) return Volatile.Read(ref _snapshot);
        try
        {
            var read = Read(s => s.Rows("""
                SELECT sum(version)::bigint, sum(stories)::bigint, (SELECT published FROM stories ORDER BY sort_key DESC LIMIT 1) FROM store_version
                """, r => new Snapshot(r.GetInt64(0), (int)r.GetInt64(1), r.IsDBNull(2) ? DateTime.MinValue : PostgresRows.FromTicks(r.GetInt64(2))))[0]);
            Raise(read);
            Interlocked.Exchange(ref _versionReadAt, now);
        }
        catch (StorageFaultException)
        {
            // The last version known stands while the server cannot be asked.
        }
        return Volatile.Read(ref _snapshot);
    }

    /// <summary>Versions only move forward: a slower read that raced a newer one does not take it back.</summary>
    private void Raise(Snapshot read)
    {
        Snapshot seen;
        while ((seen = Volatile.Read(ref _snapshot)).Version <= read.Version && Interlocked.CompareExchange(ref _snapshot, read, seen) != seen) { }
    }

    /// <summary>Runs a read on a pooled connection; a connection or server fault becomes a <see cref="StorageFaultException"/>.</summary>
    private T Read<T>(Func<PostgresSession, T> read)
    {
        try
        {
            using var connection = _source.OpenConnection();
            return read(new PostgresSession(connection));
        }
        catch (Exception e) when (IsStorageFault(e))
        {
            throw new StorageFaultException(Message(e), e);
        }
    }

    /// <summary>
    /// Runs a write in one transaction: advisory <paramref name="locks"/> first (sorted), then
    /// <paramref name="write"/>, then the version bump with the change in the story count (only for
    /// writes that change stories: feed-state and site-profile saves leave cached outputs valid), then
    /// commit; a write of one statement may run without a transaction (<paramref name="transactional"/> false).
    /// A deadlock or serialization failure is retried; a storage fault fails the write and shows in
    /// <see cref="Health"/> until one commits again.
    /// </summary>
    private Task<T> WriteAsync<T>(Func<PostgresSession, T> write, IEnumerable<long>? locks = null, bool changesStories = true, bool transactional = true) => Task.Run(() =>
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var connection = _source.OpenConnection();
                var session = new PostgresSession(connection);
                // BEGIN goes out with the first command and COMMIT with the last writes: committing costs no round trip of its own.
                if (transactional) session.Defer("BEGIN");
                try
                {
                    if (locks is not null) session.Lock(locks);
                    var result = write(session);
                    PostgresOutbox.Append(session);
                    if (changesStories)
                        session.Defer("UPDATE store_version SET version = version + 1, stories = stories + @d WHERE id = @slot",
                            ("d", (long)session.StoryDelta), ("slot", Random.Shared.Next(VersionSlots)));
                    if (transactional) session.Defer("COMMIT");
                    session.Flush();
                    // This node's next Version read asks the server, so its own write shows at once.
                    Interlocked.Exchange(ref _versionReadAt, long.MinValue);
                    Recovered();
                    return result;
                }
                catch when (transactional)
                {
                    session.RollBack();
                    throw;
                }
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
    public Task CheckpointAsync() => Task.Run(() => Read(s =>
    {
        foreach (var table in new[] { "stories", "story_keys", "story_bands" }) s.Defer($"ANALYZE {table}");
        s.Flush();
        return true;
    }));

    /// <summary>Tables and indexes of the store (pg_total_relation_size).</summary>
    public long StorageBytes => Read(s => Convert.ToInt64(
        s.Scalar("SELECT sum(pg_total_relation_size(t::regclass)) FROM unnest(@t) AS t", ("t", PostgresSchema.Tables)), System.Globalization.CultureInfo.InvariantCulture));

    public void Dispose()
    {
        _claims.Dispose();
        _source.Dispose();
    }
}
