using System.Collections.Concurrent;
using static Aggregator.Core.Storage.Postgres.PostgresRows;

namespace Aggregator.Core.Storage.Postgres;

/// <summary>
/// Site profiles (learned boilerplate) on PostgreSQL. A node keeps each profile as it last saved or
/// read it, and saves it in one statement that succeeds only if its revision is still the one in the
/// database (else another node wrote it meanwhile: it is read again and the articles applied anew),
/// so no article is lost between nodes and no row lock is held across round trips. On one node the
/// articles of a site take turns: those that arrive while its profile is being saved are applied
/// together, in arrival order, and saved by the next statement.
/// </summary>
internal sealed class PostgresSiteProfiles(Func<Func<PostgresSession, IReadOnlyList<IReadOnlyList<LearnedLineRecord>>>, Task<IReadOnlyList<IReadOnlyList<LearnedLineRecord>>>> write,
    Action<string, IReadOnlySet<long>> learned)
{
    private readonly ConcurrentDictionary<string, Site> _sites = new(StringComparer.Ordinal);

    public sealed record Article(string Url, IReadOnlyList<(long Fingerprint, string Text)> Paragraphs, DateTime Now, int Window, int MinArticles)
    {
        public TaskCompletionSource<IReadOnlyList<LearnedLineRecord>> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Site(string id)
    {
        public string Id => id;
        public List<Article> Queue { get; } = [];
        public bool Saving { get; set; }
        /// <summary>The profile as this node last saved or read it (touched by the one saver only).</summary>
        public (string? Json, long Revision)? Known { get; set; }
    }

    /// <summary>Adds the article to its site's profile; returns the lines learned now.</summary>
    public async Task<IReadOnlyList<LearnedLineRecord>> RecordAsync(string site, Article article)
    {
        var state = _sites.GetOrAdd(site, id => new Site(id));
        bool saver;
        lock (state)
        {
            state.Queue.Add(article);
            saver = !state.Saving;
            state.Saving = true;
        }
        if (saver) await SaveQueuedAsync(state).ConfigureAwait(false);
        return await article.Done.Task.ConfigureAwait(false);
    }

    /// <summary>Saves what is queued; articles queued meanwhile are saved next, by a task of their own.</summary>
    private async Task SaveQueuedAsync(Site site)
    {
        List<Article> batch;
        lock (site)
        {
            batch = [.. site.Queue];
            site.Queue.Clear();
        }
        try
        {
            var added = await write(s => Save(s, site, batch)).ConfigureAwait(false);
            for (var i = 0; i < batch.Count; i++) batch[i].Done.TrySetResult(added[i]);
        }
        catch (Exception e)
        {
            foreach (var article in batch) article.Done.TrySetException(e);
        }
        lock (site)
        {
            if (site.Queue.Count == 0)
            {
                site.Saving = false;
                return;
            }
        }
        _ = Task.Run(() => SaveQueuedAsync(site));
    }

    private IReadOnlyList<IReadOnlyList<LearnedLineRecord>> Save(PostgresSession s, Site site, List<Article> batch)
    {
        while (true)
        {
            var (json, revision) = site.Known
                ?? s.Rows("SELECT record, revision FROM site_profiles WHERE id = @id", r => ((string?)r.GetString(0), r.GetInt64(1)), ("id", site.Id)).FirstOrDefault();
            var profile = json is null ? new SiteProfileRecord { Id = site.Id } : FromJson<SiteProfileRecord>(json);
            var added = batch.Select(a => Pipeline.BoilerplateLearning.Record(profile, a.Url, a.Paragraphs, a.Now, a.Window, a.MinArticles)).ToList();
            var record = ToJson(profile);
            var saved = json is null
                ? s.Execute("INSERT INTO site_profiles (id, record, revision) VALUES (@id, @r, 1) ON CONFLICT DO NOTHING", ("id", site.Id), ("r", record))
                : s.Execute("UPDATE site_profiles SET record = @r, revision = revision + 1 WHERE id = @id AND revision = @rev", ("id", site.Id), ("r", record), ("rev", revision));
            if (saved == 1)
            {
                site.Known = (record.Text, revision + 1);
                learned(site.Id, profile.Learned.Select(l => l.Fingerprint).ToHashSet());
                return added;
            }
            site.Known = null;
        }
    }
}
