using LiteDB;

namespace Aggregator.Core.Storage;

/// <summary>What a full check found: documents readable per collection, and the first problem met.</summary>
public sealed record StoreCheckReport(string Path, IReadOnlyList<(string Collection, int Documents)> Collections, string? Problem)
{
    public bool Healthy => Problem is null;
}

/// <summary>What a repair kept: the salvaged file is at <see cref="Path"/>, the damaged original at <see cref="DamagedCopy"/>.</summary>
public sealed record StoreRepairReport(string Path, string DamagedCopy, IReadOnlyList<(string Collection, int Documents)> Collections, int PagesLost);

/// <summary>
/// <c>aggregator check</c>: the structural check of <see cref="StoreFile"/>, then every document of
/// every collection read back. <c>--repair</c>: LiteDB's own rebuild (it reads the file page by page
/// and skips what it cannot read) into a copy, verified, then swapped in; the damaged file is kept.
/// Both hold the store's lock, so they never run beside a service using the file.
/// </summary>
public static class StoreRepair
{
    private const string RebuildErrors = "_rebuild_errors";

    public static StoreCheckReport Check(string path)
    {
        using var held = StoreLock.Acquire(path);
        return Verify(path);
    }

    public static StoreRepairReport Repair(string path, DateTime now)
    {
        using var held = StoreLock.Acquire(path);
        var work = path + ".repairing";
        var damaged = $"{path}.damaged-{now:yyyyMMddTHHmmss}";
        foreach (var leftover in Siblings(work)) File.Delete(leftover);
        File.Copy(path, work);
        if (File.Exists(LogOf(path))) File.Copy(LogOf(path), LogOf(work));
        int lost;
        using (var db = new LiteDatabase(new ConnectionString { Filename = work, Connection = ConnectionType.Direct }))
        {
            db.Rebuild();
            lost = db.CollectionExists(RebuildErrors) ? db.GetCollection(RebuildErrors).Query().Select("$.pageID").ToEnumerable().Distinct().Count() : 0;
            db.DropCollection(RebuildErrors);
            db.Checkpoint();
        }
        var report = Verify(work);
        if (!report.Healthy) throw new StoreFileException(path, $"the rebuilt copy is still damaged ({report.Problem})", "restore a backup");
        File.Move(path, damaged);
        if (File.Exists(LogOf(path))) File.Move(LogOf(path), LogOf(damaged));
        File.Move(work, path);
        foreach (var leftover in Siblings(work)) File.Delete(leftover);
        // The search snapshot describes the file before the repair, which may have lost stories.
        File.Delete(StoreData.SnapshotFile(path));
        return new StoreRepairReport(path, damaged, report.Collections, lost);
    }

    private static StoreCheckReport Verify(string path)
    {
        var collections = new List<(string, int)>();
        try
        {
            StoreFile.Check(path);
            using var db = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct, ReadOnly = true });
            foreach (var name in db.GetCollectionNames().Order(StringComparer.Ordinal))
            {
                var count = 0;
                foreach (var _ in db.GetCollection(name).FindAll()) count++;
                if (count != db.GetCollection(name).Count()) return new StoreCheckReport(path, collections, $"collection {name}: {count} documents readable of {db.GetCollection(name).Count()} indexed");
                collections.Add((name, count));
            }
            return new StoreCheckReport(path, collections, null);
        }
        catch (Exception e) when (e is StoreFileException or LiteException or IOException or InvalidCastException or IndexOutOfRangeException or ArgumentException)
        {
            return new StoreCheckReport(path, collections, e.Message);
        }
    }

    private static string LogOf(string path) => System.IO.Path.ChangeExtension(path, null) + "-log" + System.IO.Path.GetExtension(path);

    private static IEnumerable<string> Siblings(string work) =>
        new[] { work, LogOf(work), System.IO.Path.ChangeExtension(work, null) + "-backup" + System.IO.Path.GetExtension(work) }.Where(File.Exists);
}
