using Npgsql;

namespace Aggregator.Core.Storage.Postgres;

/// <summary>
/// Which node delivers each webhook: the one holding the hook's session advisory lock, on a connection
/// of its own outside the pool (closing it ends the session, and with it the locks, at once). The first
/// node to ask takes a free hook and keeps it while its session lives; when that node stops, is killed
/// (the server sees the socket close) or loses its connection, the next node to ask takes over — within
/// one delivery tick. A host that vanishes without closing its socket is noticed by the server's TCP
/// keepalives, set short on this session. Keys are the two-int advisory form, apart from the bigint keys
/// of writes and migrations, and name the schema, so two installs sharing a database don't share hooks.
/// </summary>
internal sealed class PostgresWebhookClaims(string connectionString) : IDisposable
{
    /// <summary>The first key of every webhook lock ("WHK" and a zero byte).</summary>
    private const int Space = 0x57484B00;
    private readonly Lock _gate = new();
    private readonly HashSet<string> _held = new(StringComparer.Ordinal);
    private NpgsqlConnection? _connection;

    /// <summary>Whether this node delivers <paramref name="hookId"/> now; false while the server cannot be reached.</summary>
    public bool Claim(string hookId)
    {
        lock (_gate)
        {
            try
            {
                var connection = _connection ??= Open();
                if (_held.Contains(hookId))
                {
                    // Still our session (a dropped one has lost the lock): the check costs one round trip.
                    using var alive = new NpgsqlCommand("SELECT 1", connection);
                    alive.ExecuteScalar();
                    return true;
                }
                using var take = new NpgsqlCommand($"SELECT pg_try_advisory_lock({Space}, hashtext(current_schema() || '/' || @id))", connection);
                take.Parameters.AddWithValue("id", hookId);
                if (take.ExecuteScalar() is not true) return false;
                _held.Add(hookId);
                return true;
            }
            catch (Exception e) when (PostgresStoryStore.IsStorageFault(e))
            {
                Drop();
                return false;
            }
        }
    }

    private NpgsqlConnection Open()
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            connection.Open();
            // The server drops the session (and frees the hooks) ~25 s after this node's host stops answering.
            using var keepalive = new NpgsqlCommand(
                "SELECT set_config('tcp_keepalives_idle', '10', false), set_config('tcp_keepalives_interval', '5', false), set_config('tcp_keepalives_count', '3', false)", connection);
            keepalive.ExecuteNonQuery();
            _held.Clear();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void Drop()
    {
        _connection?.Dispose();
        _connection = null;
        _held.Clear();
    }

    public void Dispose()
    {
        lock (_gate) Drop();
    }
}
