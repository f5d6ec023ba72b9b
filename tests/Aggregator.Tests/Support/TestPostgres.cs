using Npgsql;

namespace Aggregator.Tests.Support;

/// <summary>
/// A fresh database on the PostgreSQL server that AGGREGATOR_TEST_POSTGRES names (a connection
/// string; .ci/run starts a throw-away server and sets it), dropped at the end. Each call of
/// <see cref="NewSchema"/> gives a test its own empty schema in it. Without a reachable server the
/// tests that need one skip, saying why.
/// </summary>
public sealed class TestPostgres : IDisposable
{
    public const string Variable = "AGGREGATOR_TEST_POSTGRES";
    private readonly string? _admin;
    private readonly string? _database;
    private int _schemas;

    /// <summary>Why there is no database, or null when there is.</summary>
    public string? Unavailable { get; }

    public TestPostgres()
    {
        _admin = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(_admin))
        {
            Unavailable = $"{Variable} is not set (a connection string to a PostgreSQL server; .ci/run starts one)";
            return;
        }
        var name = "aggregator_test_" + Guid.NewGuid().ToString("N")[..12];
        try
        {
            using var connection = new NpgsqlConnection(_admin);
            connection.Open();
            using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            create.ExecuteNonQuery();
            _database = name;
        }
        catch (Exception e) when (e is NpgsqlException or ArgumentException)
        {
            Unavailable = $"the PostgreSQL server named by {Variable} is not reachable: {e.Message}";
        }
    }

    /// <summary>The connection string of the database (skips the test when there is none).</summary>
    public string ConnectionString
    {
        get
        {
            Skip.If(Unavailable is not null, Unavailable);
            return new NpgsqlConnectionStringBuilder(_admin) { Database = _database, Pooling = true }.ConnectionString;
        }
    }

    /// <summary>A new empty schema in the database: the connection string of a store that sees only it.</summary>
    public string NewSchema()
    {
        var database = ConnectionString;
        var schema = $"t{Interlocked.Increment(ref _schemas)}";
        using (var connection = new NpgsqlConnection(database))
        {
            connection.Open();
            using var create = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
            create.ExecuteNonQuery();
        }
        return new NpgsqlConnectionStringBuilder(database) { SearchPath = schema }.ConnectionString;
    }

    public void Execute(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        if (_database is null) return;
        NpgsqlConnection.ClearAllPools();
        try { Execute(_admin!, $"DROP DATABASE IF EXISTS {_database} WITH (FORCE)"); }
        catch (NpgsqlException) { /* a throw-away server: it goes with its folder */ }
    }
}
