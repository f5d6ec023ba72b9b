using System.Diagnostics;
using Aggregator.Core.Configuration;
using Aggregator.Core.Dedup;
using Aggregator.Core.Pipeline;
using Aggregator.Core.Storage;

namespace Aggregator.Benchmarks;

/// <summary>
/// A long run against the store: stories keep arriving (about 9 KB of text and HTML each) while the
/// retention sweep keeps the newest <c>maxStories</c>; the database file must level off, not grow
/// with the number of stories ever stored.
/// </summary>
internal static class RetentionBenchmark
{
    public static async Task RunAsync(int stories, int maxStories)
    {
        var dir = Directory.CreateTempSubdirectory("aggregator-retention-");
        var path = Path.Combine(dir.FullName, "retention.db");
        var start = DateTime.UtcNow.AddMinutes(-stories - 1);
        // Time is compressed (a story a minute) and tombstones are kept 30 days, so the run covers their whole life.
        var options = new RetentionOptions(Days: 3650, MaxStories: maxStories, TombstoneDays: 30);
        var words = "officials said the measure would take effect next month after a vote in parliament where opposition leaders river harbour court budget storm village market report police school hospital bridge farmers union strike border talks energy prices".Split(' ');
        var clock = Stopwatch.StartNew();
        using (var store = StoryStore.Open(path, TimeProvider.System))
        {
            Console.WriteLine($"{stories:N0} stories arriving, retention keeps the newest {maxStories:N0}; file size (data + log) as they arrive:");
            var pending = new List<Task>();
            for (var n = 0; n < stories; n++)
            {
                var published = start.AddMinutes(n);
                var id = $"{n:x16}";
                var random = new Random(n);
                var text = string.Join("\n\n", Enumerable.Range(0, 8).Select(_ => string.Join(' ', Enumerable.Range(0, 80).Select(_ => words[random.Next(words.Length)])) + "."));
                pending.Add(store.AddOrAttachAsync(new StoryRecord
                {
                    Id = id, SortKey = StoryRecord.MakeSortKey(published, id), Title = $"Story {n}", Category = "World", Published = published,
                    FirstSeen = published, Updated = published, Text = text, Html = "<p>" + text.Replace("\n\n", "</p><p>") + "</p>", BodyUrl = $"https://x.org/{n}",
                    Sources = [new StorySource { FeedId = $"f{n % 50}", Url = $"https://x.org/{n}", FirstSeen = published }],
                }, [new StoryKey(StoryKeys.Url, StoryKeys.Hash($"url{n}")), new StoryKey(StoryKeys.Guid, StoryKeys.Hash($"guid{n}"))], published, MinHash.Compute(text)));
                if (pending.Count == 256)
                {
                    await Task.WhenAll(pending);
                    pending.Clear();
                }
                if ((n + 1) % (maxStories / 2) == 0)
                {
                    await Task.WhenAll(pending);
                    pending.Clear();
                    await Retention.SweepAsync(store, options, published);
                    if ((n + 1) % maxStories == 0)
                        Console.WriteLine($"  after {n + 1,9:N0} stories: {store.StoryCount,7:N0} kept, file {store.FileSize / 1024.0 / 1024.0,7:N1} MiB");
                }
            }
        }
        Console.WriteLine($"elapsed {clock.Elapsed.TotalSeconds:N0} s; final file {new FileInfo(path).Length / 1024.0 / 1024.0:N1} MiB after the shutdown checkpoint");
        dir.Delete(recursive: true);
    }
}
