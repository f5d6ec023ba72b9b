using Aggregator.Core.Dedup;
using Aggregator.Core.Storage;
using Aggregator.Tests.Support;

namespace Aggregator.Tests.Storage;

/// <summary>Storage faults on a real filesystem: a full disk, a file that is not a database, a damaged file.</summary>
public class StorageFaultTests
{
    private static readonly DateTime Now = new(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);
    private static readonly string Body = string.Join(' ', Enumerable.Range(0, 1500).Select(i => $"word{i % 97}"));

    private static StoryRecord Story(int n) => new()
    {
        Id = $"{n:D16}", SortKey = StoryRecord.MakeSortKey(Now.AddMinutes(n), $"{n:D16}"), Title = $"Story {n}", Category = "World",
        Published = Now.AddMinutes(n), FirstSeen = Now, Updated = Now, Text = Body + n,
        Sources = [new StorySource { FeedId = "f", Url = $"https://x.org/{n}", FirstSeen = Now }],
    };

    private static StoryKey[] Keys(int n) => [new(StoryKeys.Url, StoryKeys.Hash($"https://x.org/{n}"))];

    private static HashSet<string> Listed(StoryStore store) =>
        store.QueryStories(new StoryQuery { Limit = 10_000 }).Items.Select(s => s.Id).ToHashSet();

    [SkippableFact]
    public async Task DiskFull_FailsWritesWithAnError_ShowsOnlyWhatIsDurable_AndResumesWhenSpaceIsFreed()
    {
        using var disk = SmallDisk.Mount(4);
        var path = disk.File("a.db");
        var acknowledged = new HashSet<string>();
        using (var store = StoryStore.Open(path, TimeProvider.System))
        {
            var filler = disk.Fill(leaveBytes: 600_000);
            StorageFaultException? fault = null;
            for (var n = 0; n < 2000 && fault is null; n++)
            {
                try
                {
                    var write = store.AddOrAttachAsync(Story(n), Keys(n), Now);
                    Assert.True(await Task.WhenAny(write, Task.Delay(TimeSpan.FromSeconds(20))) == write, "a write hung on a full disk");
                    acknowledged.Add((await write).StoryId);
                }
                catch (StorageFaultException e)
                {
                    fault = e;
                }
            }
            Assert.NotNull(fault);
            Assert.Contains("No space left", fault.Message);
            Assert.NotEmpty(acknowledged);
            Assert.False(store.Health.Writable);
            Assert.Contains("No space left", store.Health.Error);

            // Readers see exactly what was acknowledged: not the transaction that failed to commit.
            Assert.Equal(acknowledged.OrderBy(x => x), Listed(store).OrderBy(x => x));
            Assert.Equal(acknowledged.Count, store.StoryCount);
            // While the disk stays full, writes fail fast with the reason instead of queuing forever.
            var failing = store.AddOrAttachAsync(Story(5000), Keys(5000), Now);
            Assert.True(await Task.WhenAny(failing, Task.Delay(TimeSpan.FromSeconds(20))) == failing, "a write hung while faulted");
            await Assert.ThrowsAsync<StorageFaultException>(() => failing);

            // Space comes back: the writer's probe finds out by itself, and writes commit again.
            File.Delete(filler);
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!store.Health.Writable && DateTime.UtcNow < deadline) await Task.Delay(100);
            Assert.True(store.Health.Writable, "writes did not resume after space was freed");
            acknowledged.Add((await store.AddOrAttachAsync(Story(6000), Keys(6000), Now)).StoryId);
            Assert.Equal(acknowledged.OrderBy(x => x), Listed(store).OrderBy(x => x));
        }
        using var reopened = StoryStore.Open(path, TimeProvider.System);
        Assert.Equal(acknowledged.OrderBy(x => x), Listed(reopened).OrderBy(x => x));
    }

    [SkippableFact]
    public async Task DiskFull_AtClose_IsNoCrash_AndLosesNothingAcknowledged()
    {
        using var disk = SmallDisk.Mount(4);
        var path = disk.File("a.db");
        var store = StoryStore.Open(path, TimeProvider.System);
        for (var n = 0; n < 20; n++) await store.AddOrAttachAsync(Story(n), Keys(n), Now);
        var filler = disk.Fill(leaveBytes: 0);
        store.Dispose(); // the closing checkpoint cannot write: reported, not thrown
        File.Delete(filler);
        using var reopened = StoryStore.Open(path, TimeProvider.System);
        Assert.Equal(20, reopened.StoryCount);
    }

    [Fact]
    public void AFileThatIsNotADatabase_IsRefusedByName_AndLeftUntouched()
    {
        using var dir = new TempDirectory();
        var path = dir.File("notes.db");
        File.WriteAllText(path, "my notes, not a database");
        var e = Assert.Throws<StoreFileException>(() => StoryStore.Open(path, TimeProvider.System));
        Assert.Contains(path, e.Message);
        Assert.Contains("not an Aggregator (LiteDB) database", e.Message);
        Assert.Equal("my notes, not a database", File.ReadAllText(path));
        Assert.False(File.Exists(path + ".lock"));
    }

    [Fact]
    public void ADirectoryOrAProcFile_IsRefusedWithWhatIsReallyWrong()
    {
        using var dir = new TempDirectory();
        Assert.Contains("is a directory", Assert.Throws<StoreFileException>(() => StoryStore.Open(dir.Path, TimeProvider.System)).Message);
        if (File.Exists("/proc/version"))
            Assert.Contains("not an Aggregator (LiteDB) database", Assert.Throws<StoreFileException>(() => StoryStore.Open("/proc/version", TimeProvider.System)).Message);
    }

    [Fact]
    public async Task ATruncatedOrDamagedFile_IsRefusedAtOpen_WithTheRepairCommand()
    {
        using var dir = new TempDirectory();
        var path = dir.File("a.db");
        using (var store = StoryStore.Open(path, TimeProvider.System))
            for (var n = 0; n < 200; n++) await store.AddOrAttachAsync(Story(n), Keys(n), Now);
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 20 * StoreFile.PageSize);

        File.WriteAllBytes(dir.File("truncated.db"), bytes[..(bytes.Length / 2 + 100)]);
        var truncated = Assert.Throws<StoreFileException>(() => StoryStore.Open(dir.File("truncated.db"), TimeProvider.System));
        Assert.Contains("truncated", truncated.Message);

        var damaged = bytes.ToArray();
        new Random(3).NextBytes(damaged.AsSpan(bytes.Length / 2 - 4096, 8192));
        File.WriteAllBytes(dir.File("damaged.db"), damaged);
        var e = Assert.Throws<StoreFileException>(() => StoryStore.Open(dir.File("damaged.db"), TimeProvider.System));
        Assert.Contains("aggregator check --repair", e.Message);
        Assert.Equal(damaged, File.ReadAllBytes(dir.File("damaged.db")));
    }

    [Fact]
    public async Task ADamagedFile_IsSalvagedByCheckRepair_KeepingTheDamagedOriginal()
    {
        using var dir = new TempDirectory();
        var path = dir.File("a.db");
        using (var store = StoryStore.Open(path, TimeProvider.System))
            for (var n = 0; n < 200; n++) await store.AddOrAttachAsync(Story(n), Keys(n), Now);
        var bytes = File.ReadAllBytes(path);
        new Random(5).NextBytes(bytes.AsSpan(bytes.Length / 2 - 4096, 8192));
        File.WriteAllBytes(path, bytes);

        Assert.False(StoreRepair.Check(path).Healthy);
        var (exit, stdout, _) = await CliProcess.Run(["check", "--config", WriteConfig(dir, path), "--repair"]);
        Assert.Equal(0, exit);
        Assert.Contains("repaired:", stdout);
        Assert.True(StoreRepair.Check(path).Healthy);
        Assert.Single(Directory.GetFiles(dir.Path, "a.db.damaged-*"));
        using var repaired = StoryStore.Open(path, TimeProvider.System);
        Assert.InRange(repaired.StoryCount, 150, 199);
        Assert.Equal(repaired.StoryCount, Listed(repaired).Count);
    }

    private static string WriteConfig(TempDirectory dir, string db)
    {
        var config = dir.File("feeds.json");
        File.WriteAllText(config, $$"""{"storage":{"path":"{{db}}"},"feeds":[{"id":"a","url":"https://example.invalid/rss"}]}""");
        return config;
    }

    [Fact]
    public async Task AHealthyFileWrittenAndReopenedManyTimes_PassesTheCheck()
    {
        using var dir = new TempDirectory();
        var path = dir.File("a.db");
        for (var round = 0; round < 3; round++)
        {
            using var store = StoryStore.Open(path, TimeProvider.System);
            for (var n = round * 300; n < round * 300 + 300; n++) await store.AddOrAttachAsync(Story(n), Keys(n), Now);
            await store.DeleteStoriesAsync(Enumerable.Range(round * 300, 100).Select(n => $"{n:D16}").ToList(), Now);
        }
        StoreFile.Check(path);
        Assert.True(StoreRepair.Check(path).Healthy);
        using var reopened = StoryStore.Open(path, TimeProvider.System);
        Assert.Equal(600, reopened.StoryCount);
    }
}
