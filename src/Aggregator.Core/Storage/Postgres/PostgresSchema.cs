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
        // 3: Quartz's clustered job store (its own DDL, QuartzTables.sql): the nodes share one scheduler.
        ReadResource("QuartzTables.sql"),
        // 4: the story count kept in the version slots (every story write moves both, in its own
        // transaction: StoryCount is a sum of 16 rows, never a count(*)), and a revision per site
        // profile, so a node updates its cached profile in one statement unless another node wrote it meanwhile.
        """
        ALTER TABLE store_version ADD COLUMN stories bigint NOT NULL DEFAULT 0;
        UPDATE store_version SET stories = (SELECT count(*) FROM stories) WHERE id = 0;
        ALTER TABLE site_profiles ADD COLUMN revision bigint NOT NULL DEFAULT 0;
        """,
        // 5 — webhooks (issue 16): the outbox of
        // story events and each webhook's delivery state. Ids come from one counter row, taken last in
        // each write's transaction: it is held only through the commit, and ids commit in their order,
        // so a reader that has seen id N has seen every id below it.
        """
        CREATE TABLE outbox_sequence (id int PRIMARY KEY, last bigint NOT NULL);
        INSERT INTO outbox_sequence VALUES (0, 0);
        CREATE TABLE outbox (
            id bigint PRIMARY KEY, type text NOT NULL, story_id text NOT NULL, at bigint NOT NULL, feed_id text, source_url text);
        CREATE INDEX outbox_at ON outbox (at);
        CREATE TABLE webhook_state (id text PRIMARY KEY, record jsonb NOT NULL);
        """,
        // 6: search — each story's
        // SearchTerms as a tsvector, GIN-indexed. Filled by the writes (and PostgresSearch.Backfill for rows
        // stored before), in C#, so that both engines fold words alike.
        """
        ALTER TABLE stories ADD COLUMN terms tsvector;
        CREATE INDEX stories_terms ON stories USING gin (terms);
        """,
        // 7: outbox ids from each write's transaction id, read below the oldest running one
        // (PostgresOutbox), instead of the counter row every write queued on to commit (issue 15).
        // New ids are above the old ones: each write that took ids from the counter used up an xid and
        // took one or two, so the counter stayed far below (xid << 16).
        """
        DROP TABLE outbox_sequence;
        """,
    ];

    public static readonly string[] Tables =
        ["store_version", "stories", "story_keys", "story_feeds", "signatures", "story_bands", "splits", "feed_state", "site_profiles", "schema_version",
         "outbox", "webhook_state"];

    public static int Latest => Migrations.Length;

    /// <summary>Quartz.NET's schema for its AdoJobStore, as the Quartz package ships it (prefix <c>qrtz_</c>).</summary>
    public static string QuartzTables => Migrations[2];

    private static string ReadResource(string name)
    {
        using var stream = typeof(PostgresSchema).Assembly.GetManifestResourceStream($"Aggregator.Core.Storage.Postgres.{name}")
            ?? throw new InvalidOperationException($"storage: the embedded migration {name} is missing from the build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// Brings the database up to <see cref="Latest"/>; a database newer than this binary is refused.
    /// Returns the version found and the version reached.
    /// </summary>
    public static (int From, int To) Migrate(NpgsqlDataSource source)
    {
        using var connection = source.OpenConnection();
        Execute(connection, null, $"SELECT pg_advisory_lock({MigrationLock})");
        int current;
        try
        {
            Execute(connection, null, "CREATE TABLE IF NOT EXISTS schema_version (version int PRIMARY KEY, applied timestamptz NOT NULL DEFAULT now())");
            using (var read = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM schema_version", connection))
            {
                current = Convert.ToInt32(read.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
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
        return (current, Latest);
    }

    private static void Execute(NpgsqlConnection connection, NpgsqlTransaction? tx, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection, tx);
        command.ExecuteNonQuery();
    }
}
