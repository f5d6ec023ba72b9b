using Npgsql;
using NpgsqlTypes;

namespace Aggregator.Core.Storage.Postgres;

/// <summary>
/// One connection (a write runs its own BEGIN … COMMIT on it): terse helpers for parameterised commands.
/// Round trips are what a write costs, so the session pipelines: advisory locks and writes whose
/// result nobody needs (<see cref="Lock"/>, <see cref="Defer"/>) wait and go out ahead of the next
/// command, in the same round trip (<see cref="NpgsqlBatch"/>), in the order they were asked for.
/// </summary>
internal sealed class PostgresSession(NpgsqlConnection connection)
{
    /// <summary>Outbox events of this write, inserted with its commit (ids from its transaction id: <see cref="PostgresOutbox"/>).</summary>
    public List<OutboxEventRecord> Events { get; } = [];

    public void Emit(string type, string storyId, DateTime at, StorySource? source = null) =>
        Events.Add(new OutboxEventRecord { Type = type, StoryId = storyId, At = at, FeedId = source?.FeedId, SourceUrl = source?.Url });

    private readonly List<NpgsqlBatchCommand> _pending = [];
    /// <summary>How many of the pending commands give a result set (the locks' SELECT): skipped when reading.</summary>
    private int _pendingResults;

    /// <summary>Stories this write added (or, negative, removed): the store's count moves by it at commit.</summary>
    public int StoryDelta { get; set; }

    /// <summary>Takes transaction-scoped advisory locks in ascending order (with the next command), so two writers never wait on each other in a cycle.</summary>
    public void Lock(IEnumerable<long> keys)
    {
        var sorted = keys.Distinct().Order().ToArray();
        if (sorted.Length == 0) return;
        _pending.Add(Command("SELECT count(pg_advisory_xact_lock(k)) FROM unnest(@k) AS k", ("k", sorted)));
        _pendingResults++;
    }

    /// <summary>A write whose outcome is not needed now: it goes out with the next command, or at <see cref="Flush"/>.</summary>
    public void Defer(string sql, params (string, object?)[] args) => _pending.Add(Command(sql, args));

    /// <summary>Sends what is pending (before commit).</summary>
    public void Flush()
    {
        if (_pending.Count == 0) return;
        using var batch = Batch([]);
        batch.ExecuteNonQuery();
    }

    /// <summary>Ends a failed write's transaction, so its connection goes back to the pool clean (a broken connection is discarded anyway).</summary>
    public void RollBack()
    {
        _pending.Clear();
        _pendingResults = 0;
        if (connection.State != System.Data.ConnectionState.Open) return;
        try
        {
            using var rollback = new NpgsqlCommand("ROLLBACK", connection);
            rollback.ExecuteNonQuery();
        }
        catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException or TimeoutException)
        {
            // The connection is gone with its transaction.
        }
    }

    /// <summary>Runs a statement (after whatever is pending); returns the rows it affected.</summary>
    public int Execute(string sql, params (string, object?)[] args)
    {
        var command = Command(sql, args);
        using var batch = Batch([command]);
        batch.ExecuteNonQuery();
        return command.RecordsAffected;
    }

    public object? Scalar(string sql, params (string, object?)[] args) =>
        Rows(sql, r => r.IsDBNull(0) ? null : r.GetValue(0), args).FirstOrDefault();

    public List<T> Rows<T>(string sql, Func<NpgsqlDataReader, T> map, params (string, object?)[] args) =>
        Read([Command(sql, args)], reader => ReadAll(reader, map));

    /// <summary>
    /// Runs <paramref name="commands"/> (after whatever is pending) in one round trip and hands the
    /// reader to <paramref name="read"/>, on the first result set of the commands: one per SELECT, in order.
    /// </summary>
    public T Read<T>(IReadOnlyList<NpgsqlBatchCommand> commands, Func<NpgsqlDataReader, T> read)
    {
        var skip = _pendingResults;
        using var batch = Batch(commands);
        using var reader = batch.ExecuteReader();
        for (var i = 0; i < skip; i++) reader.NextResult();
        return read(reader);
    }

    public static List<T> ReadAll<T>(NpgsqlDataReader reader, Func<NpgsqlDataReader, T> map)
    {
        var rows = new List<T>();
        while (reader.Read()) rows.Add(map(reader));
        return rows;
    }

    public static NpgsqlBatchCommand Command(string sql, params (string Name, object? Value)[] args)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var (name, value) in args)
            command.Parameters.Add(value is Json json
                ? new NpgsqlParameter(name, NpgsqlDbType.Jsonb) { Value = json.Text }
                : new NpgsqlParameter(name, value ?? DBNull.Value));
        return command;
    }

    /// <summary>The pending commands, then <paramref name="commands"/>, as one batch (the pending ones are then sent).</summary>
    private NpgsqlBatch Batch(IReadOnlyList<NpgsqlBatchCommand> commands)
    {
        var batch = new NpgsqlBatch(connection);
        foreach (var command in _pending.Concat(commands)) batch.BatchCommands.Add(command);
        _pending.Clear();
        _pendingResults = 0;
        return batch;
    }
}

/// <summary>A parameter sent as jsonb.</summary>
internal sealed record Json(string Text);
