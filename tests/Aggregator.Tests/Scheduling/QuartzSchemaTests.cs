using Aggregator.Core.Storage.Postgres;

namespace Aggregator.Tests.Scheduling;

/// <summary>Our migration 3 is Quartz's own PostgreSQL schema for the Quartz version we build with, statement for statement.</summary>
public class QuartzSchemaTests
{
    [Fact]
    public void Migration3_IsThePostgresScriptTheQuartzPackageShips()
    {
        using var stream = typeof(Quartz.IScheduler).Assembly.GetManifestResourceStream("Quartz.Impl.AdoJobStore.Schema.create_postgres.sql");
        Assert.NotNull(stream);
        var shipped = new StreamReader(stream).ReadToEnd().Replace("{0}", "qrtz_").Replace("{1}", "qrtz_");
        Assert.Equal(Statements(shipped), Statements(PostgresSchema.QuartzTables));
        Assert.Contains("CREATE TABLE IF NOT EXISTS qrtz_triggers", PostgresSchema.QuartzTables);
    }

    private static List<string> Statements(string sql) =>
        string.Join('\n', sql.Split('\n').Where(l => !l.TrimStart().StartsWith("--", StringComparison.Ordinal)))
            .Split(';').Select(s => string.Join(' ', s.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries))).Where(s => s.Length > 0).ToList();
}
