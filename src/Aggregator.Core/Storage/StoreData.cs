using System.Collections.Concurrent;
using Aggregator.Core.Dedup;
using LiteDB;

namespace Aggregator.Core.Storage;

/// <summary>
/// One open database and everything kept in memory beside it (key index, near-duplicate index,
/// split ledger, site profiles), loaded from the file. After a storage fault the writer throws the
/// whole thing away and loads a new one from disk, so memory never holds what the file does not.
/// </summary>
internal sealed class StoreData : IDisposable
{
    public required LiteDatabase Db { get; init; }
    public required ILiteCollection<StoryRecord> Stories { get; init; }
    public required ILiteCollection<StoryKeysRecord> Keys { get; init; }
    public required ILiteCollection<FeedStateRecord> Feeds { get; init; }
    public required ILiteCollection<SplitRecord> Splits { get; init; }
    public required ILiteCollection<SiteProfileRecord> Sites { get; init; }
    public required ILiteCollection<OutboxEventRecord> Outbox { get; init; }
    public required ILiteCollection<WebhookStateRecord> Webhooks { get; init; }
    public KeyIndex Index { get; } = new();
    /// <summary>Full-text search: term → stories, kept by the writer through <see cref="InsertStory"/>, <see cref="UpdateStory"/>, <see cref="DeleteStory"/>.</summary>
    public required TermIndex Search { get; init; }
    public required NearDuplicateIndex Near { get; init; }
    /// <summary>(feed, canonical URL) → the stories operators split that source from; writer only.</summary>
    public Dictionary<(string FeedId, string Url), HashSet<string>> SplitFrom { get; } = [];
    /// <summary>Learned boilerplate fingerprints per site, replaced whole on commit (readers never see a half-updated set).</summary>
    public ConcurrentDictionary<string, IReadOnlySet<long>> Learned { get; } = new(StringComparer.Ordinal);
    /// <summary>The site profiles as last written (writer only): no read of the document before each update.</summary>
    public Dictionary<string, SiteProfileRecord> SiteProfiles { get; } = new(StringComparer.Ordinal);
    /// <summary>Stories stored, kept by the writer (LiteDB's Count walks the whole index).</summary>
    public int StoryCount;
    /// <summary>The newest publication time stored: retention and the near-duplicate horizon follow it, not the clock.</summary>
    public DateTime NewestPublished;
    /// <summary>The last outbox id handed out (writer only; a rolled-back batch leaves a gap, never a repeat).</summary>
    public long LastEventId;
    /// <summary>The newest committed outbox id, for readers.</summary>
    public long CommittedEventId;

    /// <summary>Opens the file (which <see cref="StoreFile.Check"/> has vetted) and loads the in-memory indexes.</summary>
    public static StoreData Load(string path, TimeSpan nearHorizon)
    {
        var search = LoadSearch(path);
        var connection = new ConnectionString { Filename = path, Connection = ConnectionType.Direct };
        // Dates are stored as UTC by BSON but read back as local time unless UTC_DATE is set.
        var db = new LiteDatabase(connection, StoreMapper.Create()) { UtcDate = true };
        try
        {
            var data = new StoreData
            {
                Db = db,
                Stories = db.GetCollection<StoryRecord>("stories"),
                Keys = db.GetCollection<StoryKeysRecord>("storykeys"),
                Feeds = db.GetCollection<FeedStateRecord>("feeds"),
                Splits = db.GetCollection<SplitRecord>("splits"),
                Sites = db.GetCollection<SiteProfileRecord>("sites"),
                Outbox = db.GetCollection<OutboxEventRecord>("outbox"),
                Webhooks = db.GetCollection<WebhookStateRecord>("webhooks"),
                Near = new NearDuplicateIndex(nearHorizon),
                Search = search,
            };
            data.LoadIndexes();
            return data;
        }
        catch
        {
            try { db.Dispose(); } catch (Exception) { /* the load's own error is the one to report */ }
            throw;
        }
    }

    private void LoadIndexes()
    {
        Stories.EnsureIndex(s => s.SortKey);
        Keys.EnsureIndex(k => k.Deleted);
        foreach (var site in Sites.FindAll())
        {
            SiteProfiles[site.Id] = site;
            Learned[site.Id] = site.Learned.Select(l => l.Fingerprint).ToHashSet();
        }
        foreach (var split in Splits.FindAll()) RememberSplit(split);
        var signatures = new List<(string Id, TextSignature Signature, DateTime Published)>();
        foreach (var record in Keys.FindAll())
        {
            Index.Load(record);
            if (record.Deleted is not null) continue;
            if (record.Signature is { Length: MinHash.Size * 4 } bytes)
                signatures.Add((record.Id, TextSignature.FromStored(bytes, record.Shingles, record.Lead), record.Published));
        }
        LastEventId = CommittedEventId = Outbox.Query().OrderByDescending("_id").Select(e => e.Id).Limit(1).FirstOrDefault();
        StoryCount = Stories.Count();
        if (Stories.Query().OrderByDescending("$.SortKey").Limit(1).FirstOrDefault() is { } newest) NewestPublished = newest.Published;
        // Oldest first, so the index's horizon moves forward as it would have while they arrived.
        foreach (var (id, signature, published) in signatures.OrderBy(s => s.Published)) Near.Add(id, signature, published);
    }

    /// <summary>Appends an event to the outbox inside the writer's current transaction; returns its id.</summary>
    public long Emit(string type, string storyId, DateTime at, StorySource? source = null)
    {
        var id = ++LastEventId;
        Outbox.Insert(new OutboxEventRecord { Id = id, Type = type, StoryId = storyId, At = at, FeedId = source?.FeedId, SourceUrl = source?.Url });
        return id;
    }

    /// <summary>
    /// Every story's terms into <see cref="Search"/>, read through a short-lived read-only instance of
    /// the file: the pages of every story would otherwise stay in the open database's page cache.
    /// </summary>
    private static TermIndex LoadSearch(string path)
    {
        var search = new TermIndex();
        if (!File.Exists(path)) return search;
        using (var reader = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct, ReadOnly = true }, StoreMapper.Create()) { UtcDate = true })
        {
            // Raw documents, five fields picked: no mapping of sources and HTML (a projection is slower still).
            foreach (var doc in reader.GetCollection("stories").FindAll())
            {
                var story = new StoryRecord
                {
                    Id = doc["_id"].AsString, Title = doc["Title"].AsString ?? "", Text = doc["Text"].AsString,
                    Category = doc["Category"].AsString ?? "", Published = doc["Published"].AsDateTime,
                };
                search.Load(story.Id, TermIndex.Entry.Of(story));
            }
        }
        search.LoadDone();
        return search;
    }

    // Every change to a story goes through these, so the search index sees it (staged until the commit).
    public void InsertStory(StoryRecord story)
    {
        Stories.Insert(story);
        Search.Stage(story);
    }

    public void UpdateStory(StoryRecord story)
    {
        Stories.Update(story);
        Search.Stage(story);
    }

    public bool DeleteStory(string id)
    {
        if (!Stories.Delete(id)) return false;
        Search.StageRemoval(id);
        return true;
    }

    public void RememberSplit(SplitRecord split)
    {
        var key = (split.FeedId, split.Url);
        if (!SplitFrom.TryGetValue(key, out var from)) SplitFrom[key] = from = new HashSet<string>(StringComparer.Ordinal);
        from.Add(split.FromStory);
    }

    public void Dispose() => Db.Dispose();
}
