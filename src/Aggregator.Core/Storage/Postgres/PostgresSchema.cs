using Npgsql;

namespace Aggregator.Core.Storage.Postgres;

/// <summary>
/// Our own versioned migrations: each runs once, in its own transaction, recorded in
/// <c>schema_version</c>. Applied at open under a session advisory lock, so nodes started at the
/// same moment on an empty database wait for one another instead of colliding.
/// </summary>
internal static class PostgresSchema
{
    /// <summary>Advisory lock key of the migrations (an arbitrary constant: "AGGR" "SCHM").</summary>
    private const long MigrationLock = 0x41474752_5343484D;

    private static readonly string[] Migrations =
    [
        // 1: the store. Times are UTC ticks (bigint): exact, and DateTime.MinValue stays itself.
        // Sort keys are compared byte-wise (COLLATE "C"), as LiteDB compares them ordinally.
        """
        -- The version is the sum of 16 counters: a write bumps one (at random), so concurrent
        -- commits do not queue on one row lock for the length of each other's WAL flush.
        CREATE TABLE store_version (id int PRIMARY KEY, version bigint NOT NULL);
        INSERT INTO store_version SELECT g, 0 FROM generate_series(0, 15) AS g;
        CREATE TABLE stories (
            id text PRIMARY KEY, sort_key text COLLATE "C" NOT NULL, published bigint NOT NULL,
            category text NOT NULL, title text NOT NULL, record jsonb NOT NULL);
        CREATE INDEX stories_sort_key ON stories (sort_key);
        CREATE TABLE story_keys (
            key_hash text PRIMARY KEY, story_id text NOT NULL, deleted bigint);
        CREATE INDEX story_keys_story ON story_keys (story_id);
        CREATE INDEX story_keys_deleted ON story_keys (deleted) WHERE deleted IS NOT NULL;
        CREATE TABLE story_feeds (story_id text NOT NULL, feed_id text NOT NULL, PRIMARY KEY (story_id, feed_id));
        CREATE INDEX story_feeds_feed ON story_feeds (feed_id);
        CREATE TABLE signatures (story_id text PRIMARY KEY, minhashes bytea NOT NULL, shingles int NOT NULL, published bigint NOT NULL);
        CREATE TABLE story_bands (band_hash bigint NOT NULL, story_id text NOT NULL, published bigint NOT NULL, PRIMARY KEY (band_hash, story_id));
        CREATE INDEX story_bands_story ON story_bands (story_id);
        CREATE TABLE splits (
            id text PRIMARY KEY, from_story text NOT NULL, to_story text NOT NULL, feed_id text NOT NULL, url text NOT NULL, at bigint NOT NULL);
        CREATE INDEX splits_source ON splits (feed_id, url);
        CREATE TABLE feed_state (id text PRIMARY KEY, record jsonb NOT NULL);
        CREATE TABLE site_profiles (id text PRIMARY KEY, record jsonb NOT NULL);
        """,
        // 2: the lead sample of each signature (NearDuplicateRule tells cut copies from follow-ups by it).
        """
        ALTER TABLE signatures ADD COLUMN lead bytea;
        """,
        // 5 (search; 3, 4 and 6 belong to other branches: renumber on merge, keep the order): each story's
        // SearchTerms as a tsvector, GIN-indexed. Filled by the writes (and PostgresSearch.Backfill for rows
        // stored before), in C#, so that both engines fold words alike.
        """
        ALTER TABLE stories ADD COLUMN terms tsvector;
        CREATE INDEX stories_terms ON stories USING gin (terms);
        """,
    ];

    public static readonly string[] Tables =
        ["store_version", "stories", "story_keys", "story_feeds", "signatures", "story_bands", "splits", "feed_state", "site_profiles", "schema_version"];

    public static int Latest => Migrations.Length;

    /// <summary>Brings the database up to <see cref="Latest"/>; a database newer than this binary is refused.</summary>
    public static void Migrate(NpgsqlDataSource source)
    {
        using var connection = source.OpenConnection();
        Execute(connection, null, $"SELECT pg_advisory_lock({MigrationLock})");
        try
        {
            Execute(connection, null, "CREATE TABLE IF NOT EXISTS schema_version (version int PRIMARY KEY, applied timestamptz NOT NULL DEFAULT now())");
            using (var read = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM schema_version", connection))
            {
                var current = Convert.ToInt32(read.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
                if (current > Latest)
                    throw new StorageFaultException($"storage: the database schema is version {current}, newer than this Aggregator knows ({Latest}); upgrade it", null);
                for (var v = current + 1; v <= Latest; v++)
                {
                    using var tx = connection.BeginTransaction();
                    Execute(connection, tx, Migrations[v - 1]);
                    Execute(connection, tx, $"INSERT INTO schema_version (version) VALUES ({v})");
                    tx.Commit();
                }
            }
        }
        finally
        {
            Execute(connection, null, $"SELECT pg_advisory_unlock({MigrationLock})");
        }
    }

    private static void Execute(NpgsqlConnection connection, NpgsqlTransaction? tx, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection, tx);
        command.ExecuteNonQuery();
    }
}
