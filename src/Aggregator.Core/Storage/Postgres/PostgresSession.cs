using Npgsql;
using NpgsqlTypes;

namespace Aggregator.Core.Storage.Postgres;

/// <summary>One connection (and, for a write, its transaction): terse helpers for parameterised commands.</summary>
internal sealed class PostgresSession(NpgsqlConnection connection, NpgsqlTransaction? transaction)
{
    /// <summary>Outbox events of this write, given their ids and inserted just before it commits.</summary>
    public List<OutboxEventRecord> Events { get; } = [];

    public void Emit(string type, string storyId, DateTime at, StorySource? source = null) =>
        Events.Add(new OutboxEventRecord { Type = type, StoryId = storyId, At = at, FeedId = source?.FeedId, SourceUrl = source?.Url });

    public NpgsqlCommand Command(string sql, params (string Name, object? Value)[] args)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in args)
            command.Parameters.Add(value is Json json
                ? new NpgsqlParameter(name, NpgsqlDbType.Jsonb) { Value = json.Text }
                : new NpgsqlParameter(name, value ?? DBNull.Value));
        return command;
    }

    public int Execute(string sql, params (string, object?)[] args)
    {
        using var command = Command(sql, args);
        return command.ExecuteNonQuery();
    }

    public object? Scalar(string sql, params (string, object?)[] args)
    {
        using var command = Command(sql, args);
        return command.ExecuteScalar() is var value && value is DBNull ? null : value;
    }

    public List<T> Rows<T>(string sql, Func<NpgsqlDataReader, T> map, params (string, object?)[] args)
    {
        using var command = Command(sql, args);
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read()) rows.Add(map(reader));
        return rows;
    }

    /// <summary>Takes transaction-scoped advisory locks in ascending order, so two writers never wait on each other in a cycle.</summary>
    public void Lock(IEnumerable<long> keys)
    {
        var sorted = keys.Distinct().Order().ToArray();
        if (sorted.Length > 0) Scalar("SELECT count(pg_advisory_xact_lock(k)) FROM unnest(@k) AS k", ("k", sorted));
    }
}

/// <summary>A parameter sent as jsonb.</summary>
internal sealed record Json(string Text);
