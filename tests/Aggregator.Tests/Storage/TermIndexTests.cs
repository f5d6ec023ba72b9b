using Aggregator.Core.Storage;
using Aggregator.Tests.Support;

namespace Aggregator.Tests.Storage;

/// <summary>
/// The term index past its first window of ordinals (thousands of stories), against a plain scan:
/// stories that arrive out of publication order, updates that move a story, deletes, every kind of
/// filter and the cursor; and the same answers from its snapshot.
/// </summary>
public class TermIndexTests
{
    private static readonly DateTime Start = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly string[] Vocabulary = ["common", "comet", "coral", "c", "rare", "harbour", "harvest", "zebra", "quay", "x1", "x2"];

    private sealed record Doc(string Id, DateTime Published, string Category, string Feed, string Title, string Text)
    {
        public StoryRecord ToStory() => new()
        {
            Id = Id, SortKey = StoryRecord.MakeSortKey(Published, Id), Title = Title, Text = Text, Category = Category, Published = Published,
            Summary = "s", Sources = [new StorySource { FeedId = Feed, Url = $"https://x.org/{Id}", FirstSeen = Published }],
        };
    }

    /// <summary>12,000 stories: mostly in publication order, one in ten much older (a backlog), words of varying frequency.</summary>
    private static Dictionary<string, Doc> Corpus(Random random)
    {
        var docs = new Dictionary<string, Doc>(StringComparer.Ordinal);
        for (var n = 0; n < 12_000; n++)
        {
            var published = random.Next(10) == 0 ? Start.AddMinutes(random.Next(n + 1)) : Start.AddMinutes(n);
            var words = new List<string>();
            if (random.Next(2) == 0) words.Add("common");
            if (random.Next(500) == 0) words.Add("rare");
            for (var i = 0; i < 3; i++) words.Add(Vocabulary[random.Next(Vocabulary.Length)]);
            var id = $"{n:x16}";
            docs[id] = new Doc(id, published, n % 3 == 0 ? "Sport" : "World", $"f{n % 7}", words[0], string.Join(' ', words.Skip(1)));
        }
        return docs;
    }

    [Fact]
    public void ManyWindowsDeep_TheIndexAnswersWhatAScanDoes_AndSoDoesItsSnapshot()
    {
        var random = new Random(5);
        var docs = Corpus(random);
        var index = new TermIndex();
        foreach (var doc in docs.Values) index.Load(doc.Id, TermIndex.Entry.Of(doc.ToStory()));
        index.LoadDone();
        // Updates that move stories to new ordinals (text changed) or in place (a new time, same text), and deletes.
        foreach (var id in docs.Keys.Where((_, i) => i % 97 == 0).ToList())
        {
            docs[id] = docs[id] with { Text = "harbour quay moved" };
            index.Stage(docs[id].ToStory());
        }
        foreach (var id in docs.Keys.Where((_, i) => i % 89 == 3).ToList())
        {
            docs[id] = docs[id] with { Published = Start.AddMinutes(20_000 + random.Next(100)) };
            index.Stage(docs[id].ToStory());
        }
        foreach (var id in docs.Keys.Where((_, i) => i % 13 == 7).ToList())
        {
            docs.Remove(id);
            index.StageRemoval(id);
        }
        index.CommitStaged();
        AssertSameAsScan(index, docs);

        using var dir = new TempDirectory();
        var file = dir.File("index.bin");
        using (var stream = File.Create(file)) index.Save(stream, "token");
        Assert.Null(TermIndex.TryLoad(file, "other token", docs.Count));
        Assert.Null(TermIndex.TryLoad(file, "token", docs.Count + 1));
        var loaded = TermIndex.TryLoad(file, "token", docs.Count);
        Assert.NotNull(loaded);
        AssertSameAsScan(loaded, docs);
    }

    private static void AssertSameAsScan(TermIndex index, Dictionary<string, Doc> docs)
    {
        var filters = new StoryQuery[]
        {
            new(), new(Category: "sport"), new(FeedId: "f3"), new(Since: Start.AddMinutes(11_000)), new(Until: Start.AddMinutes(3_000)),
        };
        foreach (var q in new[] { "common", "co", "c", "rare", "harbour quay", "common har", "zebra", "x", "nothing" })
            foreach (var filter in filters)
            {
                var query = SearchQuery.Parse(q);
                var expected = docs.Values.Where(d => Matches(d, query) && Passes(d, filter))
                    .Select(d => StoryRecord.MakeSortKey(d.Published, d.Id)).OrderDescending(StringComparer.Ordinal).Take(200).ToList();
                var seen = new List<string>();
                string? cursor = null;
                // Pages of 50, as the API's default, through the first 200.
                while (seen.Count < 200)
                {
                    var hits = index.Find(query, filter with { Before = cursor }, 51);
                    var page = hits.Take(50).Select(h => h.Listed()).ToList();
                    seen.AddRange(page.Select(s => s.SortKey));
                    if (hits.Count <= 50) break;
                    cursor = page[^1].SortKey;
                }
                Assert.True(expected.SequenceEqual(seen.Take(200)), $"q={q} {filter}: {expected.Count} expected, {seen.Count} found, first difference at {expected.Zip(seen).TakeWhile(p => p.First == p.Second).Count()}");
            }
    }

    private static bool Matches(Doc d, SearchQuery q)
    {
        var terms = SearchTerms.Of(d.Title, d.Text);
        return q.Terms.All(terms.Contains) && terms.Any(t => t.StartsWith(q.Prefix!, StringComparison.Ordinal));
    }

    private static bool Passes(Doc d, StoryQuery f) =>
        (f.Category is null || string.Equals(d.Category, f.Category, StringComparison.OrdinalIgnoreCase))
        && (f.Since is null || d.Published >= f.Since) && (f.Until is null || d.Published <= f.Until) && (f.FeedId is null || d.Feed == f.FeedId);
}
