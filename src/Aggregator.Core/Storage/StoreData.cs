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
    public LiteDatabase Db { get; private set; } = null!;
    public ILiteCollection<StoryRecord> Stories { get; private set; } = null!;
    public ILiteCollection<StoryKeysRecord> Keys { get; private set; } = null!;
    public ILiteCollection<FeedStateRecord> Feeds { get; private set; } = null!;
    public ILiteCollection<SplitRecord> Splits { get; private set; } = null!;
    public ILiteCollection<SiteProfileRecord> Sites { get; private set; } = null!;
    public ILiteCollection<OutboxEventRecord> Outbox { get; private set; } = null!;
    public ILiteCollection<WebhookStateRecord> Webhooks { get; private set; } = null!;
    /// <summary>Small facts about the file itself: the writer's probe, the search snapshot's token.</summary>
    public ILiteCollection<BsonDocument> Meta { get; private set; } = null!;
    /// <summary>
    /// One LiteDB operation at a time: LiteDB 5.0.21's page cache can hand a page buffer it is recycling
    /// to a concurrent reader (litedb-org/LiteDB#2817: "pages in memory store must be non-shared", garbage
    /// index and document reads), so the writer's batches and every read of the file take this lock.
    /// Serving rarely reads the file (outputs are cached, searches answered by the term index), so the
    /// lock costs little; a read waits for the batch being written, at most one batch.
    /// </summary>
    public object Gate { get; } = new();
    public required string Path { get; init; }
    public KeyIndex Index { get; } = new();
    /// <summary>Full-text search: term → stories, kept by the writer through <see cref="InsertStory"/>, <see cref="UpdateStory"/>, <see cref="DeleteStory"/>.</summary>
    public required TermIndex Search { get; init; }
    /// <summary>
    /// The token of the search snapshot (<see cref="SnapshotFile"/>) while the database still holds
    /// it, i.e. while no story has changed since it was written; null otherwise (writer only).
    /// </summary>
    public string? SnapshotToken;
    /// <summary>Stories indexed by reading them at open (0 when the snapshot was used).</summary>
    public int Rebuilt { get; private init; }
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
        var (search, token, rebuilt) = LoadSearch(path);
        var data = new StoreData
        {
            Path = path,
            SnapshotToken = token,
            Rebuilt = rebuilt,
            Near = new NearDuplicateIndex(nearHorizon),
            Search = search,
        };
        try
        {
            data.Attach();
            data.LoadIndexes();
            // LiteDB 5's page cache never shrinks (litedb-org/LiteDB#2813): the load above read every key and
            // signature, and those pages would stay in memory for the life of the process. A fresh instance
            // of the file starts with an empty cache; reopening costs a few milliseconds.
            data.Db.Dispose();
            data.Attach();
            return data;
        }
        catch
        {
            try { data.Db?.Dispose(); } catch (Exception) { /* the load's own error is the one to report */ }
            throw;
        }
    }

    private void Attach()
    {
        // Dates are stored as UTC by BSON but read back as local time unless UTC_DATE is set.
        Db = new LiteDatabase(new ConnectionString { Filename = Path, Connection = ConnectionType.Direct }, StoreMapper.Create()) { UtcDate = true };
        Stories = Db.GetCollection<StoryRecord>("stories");
        Keys = Db.GetCollection<StoryKeysRecord>("storykeys");
        Feeds = Db.GetCollection<FeedStateRecord>("feeds");
        Splits = Db.GetCollection<SplitRecord>("splits");
        Sites = Db.GetCollection<SiteProfileRecord>("sites");
        Outbox = Db.GetCollection<OutboxEventRecord>("outbox");
        Webhooks = Db.GetCollection<WebhookStateRecord>("webhooks");
        Meta = Db.GetCollection("meta");
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
        // The index holds every story (built from them, or a snapshot checked against their count).
        StoryCount = Search.Stories;
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

    private const string SnapshotId = "search-snapshot";

    /// <summary>Where the search snapshot of the database at <paramref name="path"/> lives: <c>NAME-search.bin</c> beside it.</summary>
    public static string SnapshotFile(string path) => System.IO.Path.ChangeExtension(path, null) + "-search.bin";

    /// <summary>
    /// The search index: the snapshot beside the file when the database holds its token and as many
    /// stories, else every story's terms read through a short-lived read-only instance of the file
    /// (the pages of every story would otherwise stay in the open database's page cache).
    /// </summary>
    private static (TermIndex Search, string? Token, int Rebuilt) LoadSearch(string path)
    {
        var search = new TermIndex();
        if (!File.Exists(path)) return (search, null, 0);
        using (var reader = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct, ReadOnly = true }, StoreMapper.Create()) { UtcDate = true })
        {
            var stories = reader.GetCollection("stories");
            if (reader.GetCollection("meta").FindById(SnapshotId)?["token"] is { IsString: true } token
                && TermIndex.TryLoad(SnapshotFile(path), token.AsString, stories.Count()) is { } loaded)
                return (loaded, token.AsString, 0);
            // Raw documents, the fields needed picked: no mapping of the body and HTML (a projection is slower
            // still). Oldest first, along the SortKey index: ordinals then follow publication order, which
            // lets a search stop after the newest window (TermIndex.Find).
            foreach (var doc in stories.Query().OrderBy("$.SortKey").ToDocuments())
            {
                var story = new StoryRecord
                {
                    Id = doc["_id"].AsString, Title = doc["Title"].AsString ?? "", Text = doc["Text"].AsString,
                    Category = doc["Category"].AsString ?? "", Published = doc["Published"].AsDateTime,
                    Url = doc["Url"].AsString, Summary = doc["Summary"].AsString, Sources = SourcesOf(doc["Sources"]),
                };
                search.Load(story.Id, TermIndex.Entry.Of(story));
            }
        }
        search.LoadDone();
        return (search, null, search.Stories);
    }

    /// <summary>The fields of each source that a list shows (<see cref="StoryListing"/>).</summary>
    private static List<StorySource> SourcesOf(BsonValue sources) =>
        sources.IsArray
            ? [.. sources.AsArray.Select(s => new StorySource
            {
                FeedId = s["FeedId"].AsString ?? "", Title = s["Title"].AsString, Url = s["Url"].AsString,
                Published = s["Published"].IsDateTime ? s["Published"].AsDateTime : null, FirstSeen = s["FirstSeen"].AsDateTime,
                MatchedBy = s["MatchedBy"].AsString ?? "",
            })]
            : [];

    /// <summary>
    /// Writes the search snapshot unless the one on disk is current (writer thread, outside a
    /// transaction): the file first (to a temporary name, flushed, then renamed), then its token into
    /// the database. The first batch that changes a story deletes the token inside its own
    /// transaction (<see cref="RetireSnapshot"/>), so whatever crashes when, a token in the database
    /// names a file that matches it. False when the file could not be written (the index is then built
    /// from the stories at the next open, as without a snapshot).
    /// </summary>
    public bool SaveSearchSnapshot()
    {
        if (SnapshotToken is not null) return true;
        var file = SnapshotFile(Path);
        var temporary = file + ".partial";
        var token = Guid.NewGuid().ToString("N");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                Search.Save(stream, token);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, file, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(temporary); } catch (IOException) { }
            return false;
        }
        Meta.Upsert(new BsonDocument { ["_id"] = SnapshotId, ["token"] = token });
        SnapshotToken = token;
        return true;
    }

    /// <summary>Inside the writer's transaction, when it changes stories: the snapshot on disk stops matching, so its token goes with this commit.</summary>
    public void RetireSnapshot()
    {
        if (SnapshotToken is null || !Search.HasStaged) return;
        Meta.Delete(SnapshotId);
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
