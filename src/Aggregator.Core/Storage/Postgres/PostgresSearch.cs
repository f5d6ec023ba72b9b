using Npgsql;

namespace Aggregator.Core.Storage.Postgres;

/// <summary>
/// Full-text search on PostgreSQL: each story row carries its <see cref="SearchTerms"/> as a
/// <c>tsvector</c> (GIN-indexed, migration 6), made in C# so that both engines fold, split and cut
/// words alike (PostgreSQL's parser and <c>unaccent</c> would not: CJK, ß, ł, NFKD). A query is the
/// AND of its terms as a <c>tsquery</c>, the last one as a prefix (<c>'harb':*</c>).
/// </summary>
internal static class PostgresSearch
{
    private const int BackfillBatch = 500;

    /// <summary>The lexemes of a story's <c>terms</c> column (<c>array_to_tsvector</c> of these).</summary>
    public static string[] Terms(StoryRecord story) => [.. SearchTerms.Of(story.Title, story.Text)];

    /// <summary>The query as <c>tsquery</c> text: every term quoted (terms are letters and digits, quoted anyway), the prefix marked <c>:*</c>.</summary>
    public static string TsQuery(SearchQuery search) =>
        string.Join(" & ", search.Terms.Select(Quote).Append(Quote(search.Prefix!) + ":*"));

    private static string Quote(string term) => "'" + term.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>
    /// Fills <c>terms</c> of stories stored before migration 6 (their text is in the record): batches of
    /// rows, each its own transaction, skipping rows another node is filling. Nothing to do after the first open.
    /// </summary>
    public static void Backfill(NpgsqlDataSource source)
    {
        while (true)
        {
            using var connection = source.OpenConnection();
            var s = new PostgresSession(connection);
            s.Defer("BEGIN");
            var rows = s.Rows("SELECT id, title, record->>'Text' FROM stories WHERE terms IS NULL LIMIT @n FOR UPDATE SKIP LOCKED",
                r => (Id: r.GetString(0), Title: r.GetString(1), Text: r.IsDBNull(2) ? null : r.GetString(2)), ("n", BackfillBatch));
            if (rows.Count == 0)
            {
                s.Execute("COMMIT");
                return;
            }
            foreach (var (id, title, text) in rows)
                s.Defer("UPDATE stories SET terms = array_to_tsvector(@terms) WHERE id = @id", ("id", id), ("terms", SearchTerms.Of(title, text).ToArray()));
            s.Execute("COMMIT");
        }
    }
}
