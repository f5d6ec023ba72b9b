using System.Globalization;
using System.Text;
using Aggregator.Core.Storage;
using Aggregator.Core.Storage.Postgres;
using Aggregator.Tests.Support;
using static Aggregator.Tests.Storage.StoreContractTests;

namespace Aggregator.Tests.Storage;

/// <summary>
/// Search (<c>q</c>) on both engines' indexes against a reference scan of the documented semantic
/// (README "Search"): a corpus with diacritics, punctuation, CJK, case and terms in both fields;
/// every page, with the other filters, after updates, deletes, splits and a reopen.
/// </summary>
public abstract class SearchContractTests
{
    /// <summary>Where a new, empty store lives (a file, a schema): <see cref="Open"/> may open it again.</summary>
    protected abstract string NewLocation();

    protected abstract IStoryStore Open(string location);

    private static readonly string[] Tricky =
    [
        "Café", "cafe", "CAFÉ", "naïve", "Straße", "strasse", "Łódź", "Øresund", "Ærø", "façade", "e-mail", "email", "O'Brien",
        "harbour", "Harbourside", "harbor", "bridge", "drawbridge", "bridges", "Bridge.", "(bridge)", "東京", "東京タワー", "京都",
        "ソウル", "서울", "Ｆｕｌｌｗｉｄｔｈ", "ﬁnance", "finance", "2026", "3.5%", "COVID-19", "covid", "Zürich", "zurich", "İstanbul",
        "Ελλάδα", "ελλαδα", "Москва", "москва", "river", "rivers", "riverside", "port", "city", "portcity", "x", "ab", "abc",
    ];

    private static readonly string[] Queries =
    [
        "cafe", "CAFÉ", "Café naive", "strasse", "straße", "lodz", "oresund", "aero", "facade", "e-mail", "mail", "o'brien", "brien",
        "harb", "harbour", "harbourside", "bridge", "BRIDGE", "bridges", "drawbridge", "draw", "东京", "東京", "東", "京", "タワー", "京都",
        "ソウル", "서울", "fullwidth", "Ｆｕｌｌ", "finance", "ﬁn", "2026", "3", "5", "covid 19", "covid-19", "zurich", "ZÜRICH", "istanbul",
        "ελλαδα", "ΕΛΛΆΔΑ", "москва", "МОСКВА", "river", "rivers", "riv", "port city", "city port", "portcity", "port", "x", "a", "ab",
        "abc", "bridge harb", "harb bridge", "cafe bridge river", "nothing-like-this", "zzz", "river river", "---", "!!", "portc",
    ];

    /// <summary>60 stories: each title and text a few tricky words and filler, so queries hit some, several or none.</summary>
    protected static List<StoryRecord> Corpus()
    {
        var random = new Random(17);
        string Words(int n) => string.Join(random.Next(3) switch { 0 => " ", 1 => ", ", _ => " — " },
            Enumerable.Range(0, n).Select(_ => random.Next(3) == 0 ? $"filler{random.Next(40)}" : Tricky[random.Next(Tricky.Length)]));
        var stories = new List<StoryRecord>();
        for (var i = 0; i < 60; i++)
        {
            var story = Story($"{i:x16}", Now.AddMinutes(random.Next(0, 30)), feedId: i % 3 == 0 ? "a" : "b", category: i % 2 == 0 ? "World" : "Sport",
                text: i % 11 == 5 ? null : Words(random.Next(0, 12)));
            story.Title = Words(random.Next(1, 5));
            story.Summary = i % 5 == 0 ? null : $"Summary of {story.Title}";
            story.Sources[0].Title = i % 4 == 0 ? null : "Outlet Ü";
            stories.Add(story);
        }
        // Fixed cases beside the random ones: a term in each field, and two fields that must not join into one word.
        stories[0].Title = "Port";
        stories[0].Text = "city council";
        stories[1].Title = "The port";
        stories[1].Text = "city";
        stories[2].Title = "Bridge reopens";
        stories[2].Text = "harbour traffic";
        return stories;
    }

    [SkippableFact]
    public async Task TheIndexAnswersWhatTheReferenceScanDoes_OnEveryPageAndFilter()
    {
        using var store = Open(NewLocation());
        var corpus = Corpus();
        foreach (var story in corpus) await store.AddOrAttachAsync(story, [Key(story.Id)], Now);
        AssertSameAsReference(store, corpus);
    }

    [SkippableFact]
    public async Task TheDocumentedCasesMatchAsWritten()
    {
        using var store = Open(NewLocation());
        var corpus = Corpus();
        foreach (var story in corpus) await store.AddOrAttachAsync(story, [Key(story.Id)], Now);
        string[] Ids(string q) => [.. store.QueryStories(new StoryQuery(Limit: 200, Text: q)).Items.Select(s => s.Id).Order()];
        // A term in the title and one in the text; the fields never run together into one word.
        Assert.Contains(corpus[0].Id, Ids("port city"));
        Assert.Contains(corpus[1].Id, Ids("city port"));
        Assert.DoesNotContain(corpus[1].Id, Ids("portcity"));
        Assert.Contains(corpus[2].Id, Ids("BRIDGE harb"));
        // Diacritics, case, spelt-out letters and compatibility forms fold alike in stories and queries.
        Assert.Equal(Ids("cafe"), Ids("CAFÉ"));
        Assert.Equal(Ids("strasse"), Ids("Straße"));
        Assert.Equal(Ids("ελλαδα"), Ids("ΕΛΛΆΔΑ"));
        Assert.Equal(Ids("fullwidth"), Ids("Ｆｕｌｌｗｉｄｔｈ"));
        Assert.NotEmpty(Ids("lodz"));
        // Only a query's last word is a prefix: "harb" finds harbour, "harb bridge" needs a word "harb".
        Assert.NotEmpty(Ids("harb"));
        Assert.DoesNotContain(corpus[2].Id, Ids("harb bridge"));
        // Words, not substrings: "draw" finds no "drawbridge" unless a word starts with it; "bridge" is not inside "drawbridge".
        Assert.All(store.QueryStories(new StoryQuery(Limit: 200, Text: "bridge")).Items, s => Assert.True(HasWordStartingWith(s, "bridge")));
        // CJK: each ideograph and kana a term; nothing to search for matches nothing.
        Assert.Equal(Ids("東京"), Ids("京 東"));
        Assert.Empty(Ids("---"));
        Assert.Empty(Ids("nothing-like-this"));
    }

    [SkippableFact]
    public async Task UpdatesDeletesAndSplitsKeepTheIndexTrue_AndAReopenedStoreFindsTheSame()
    {
        var location = NewLocation();
        var corpus = Corpus();
        using (var store = Open(location))
        {
            foreach (var story in corpus) await store.AddOrAttachAsync(story, [Key(story.Id)], Now);

            var changed = corpus[3];
            await store.UpdateStoryAsync(changed.Id, s => { s.Title = "Quokka sighting"; s.Text = "Near the ferry"; return true; });
            (changed.Title, changed.Text) = ("Quokka sighting", "Near the ferry");
            Assert.Equal([changed.Id], store.QueryStories(new StoryQuery(Text: "quokka ferry")).Items.Select(s => s.Id));

            // A source attached leaves the text alone: the story is found as before.
            await store.AttachSourceAsync(changed.Id, new StorySource { FeedId = "c", Url = "https://c.org/q", FirstSeen = Now }, [Key("c-q")], Now);
            Assert.Equal([changed.Id], store.QueryStories(new StoryQuery(Text: "quokka", FeedId: "c")).Items.Select(s => s.Id));

            var gone = corpus.Where((_, i) => i % 4 == 1).ToList();
            Assert.Equal(gone.Count, await store.DeleteStoriesAsync([.. gone.Select(s => s.Id)], Now));
            corpus.RemoveAll(gone.Contains);

            var split = await store.SplitSourceAsync(changed.Id, "https://c.org/q", Now);
            Assert.Equal(SplitOutcome.Split, split.Outcome);
            corpus.Add(split.To!);
            // The reference reads what the store holds now (a source attached may change the lead).
            corpus = [.. corpus.Select(s => store.GetStory(s.Id)!)];
            Assert.Equal([split.To!.Id], store.QueryStories(new StoryQuery(Text: "quokka", FeedId: "c")).Items.Select(s => s.Id));
            AssertSameAsReference(store, corpus);
        }
        using var reopened = Open(location);
        AssertSameAsReference(reopened, corpus);
    }

    /// <summary>
    /// Every query, paged 7 at a time and with each filter, against the reference over <paramref name="corpus"/>;
    /// asked for the list fields only, each story's list fields are those of the story as stored.
    /// </summary>
    protected static void AssertSameAsReference(IStoryStore store, List<StoryRecord> corpus)
    {
        var filters = new StoryQuery[]
        {
            new(), new(Category: "sport"), new(FeedId: "a"), new(Since: Now.AddMinutes(10)), new(Until: Now.AddMinutes(20), Category: "World"),
            new(ListFieldsOnly: true), new(FeedId: "b", ListFieldsOnly: true),
        };
        foreach (var q in Queries)
            foreach (var filter in filters)
            {
                var expected = corpus.Where(s => Reference.Matches(s, q) && Others(s, filter))
                    .OrderByDescending(s => s.SortKey, StringComparer.Ordinal).Select(s => s.Id).ToList();
                var seen = new List<string>();
                string? cursor = null;
                do
                {
                    var page = store.QueryStories(filter with { Limit = 7, Before = cursor, Text = q });
                    Assert.True(page.Items.Count <= 7);
                    seen.AddRange(page.Items.Select(s => s.Id));
                    if (filter.ListFieldsOnly) Assert.All(page.Items, s => Assert.Equal(ListFields(store.GetStory(s.Id)!), ListFields(s)));
                    cursor = page.NextCursor;
                } while (cursor is not null && seen.Count <= corpus.Count);
                Assert.True(expected.SequenceEqual(seen), $"q={q} {filter}: expected [{string.Join(", ", expected)}], got [{string.Join(", ", seen)}]");
            }
    }

    /// <summary>What <c>/api/stories</c> shows of a story (and its cursor), as one comparable string.</summary>
    internal static string ListFields(StoryRecord s) => string.Join("|", s.Id, s.SortKey, s.Title, s.Url, s.Category, s.Published.ToString("O"), s.Summary,
        string.Join(";", s.Sources.Select(x => $"{x.FeedId},{x.Title},{x.Url},{x.Published?.ToString("O")},{x.FirstSeen:O},{x.MatchedBy}")));

    private static bool Others(StoryRecord s, StoryQuery f) =>
        (f.Category is null || string.Equals(s.Category, f.Category, StringComparison.OrdinalIgnoreCase))
        && (f.Since is null || s.Published >= f.Since) && (f.Until is null || s.Published <= f.Until)
        && (f.FeedId is null || s.Sources.Any(x => x.FeedId == f.FeedId));

    private static bool HasWordStartingWith(StoryRecord s, string prefix) =>
        Reference.Words(s.Title).Concat(Reference.Words(s.Text)).Any(w => w.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>
    /// The documented semantic written plainly, as a scan (not the index's tokenizer): fold each field
    /// (NFKD, marks dropped, lower case, ß/æ/ø/ł… spelt out), CJK characters apart, split at the rest;
    /// every query word but the last is a word of the story, the last begins one.
    /// </summary>
    private static class Reference
    {
        public static bool Matches(StoryRecord s, string q)
        {
            var words = Words(q);
            if (words.Count == 0) return false;
            var story = Words(s.Title).Concat(Words(s.Text)).ToHashSet(StringComparer.Ordinal);
            return words.SkipLast(1).All(story.Contains) && story.Any(w => w.StartsWith(words[^1], StringComparison.Ordinal));
        }

        public static List<string> Words(string? field)
        {
            if (field is null) return [];
            var folded = new StringBuilder();
            foreach (var rune in field.Normalize(NormalizationForm.FormKD).EnumerateRunes())
            {
                var category = Rune.GetUnicodeCategory(rune);
                var s = rune.ToString();
                if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark) continue;
                if (IsCjk(s)) folded.Append(' ').Append(s).Append(' ');
                else if (Rune.IsLetterOrDigit(rune) || category == UnicodeCategory.SpacingCombiningMark) folded.Append(Spelt(s.ToLowerInvariant()));
                else folded.Append(' ');
            }
            return [.. folded.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries)];
        }

        private static bool IsCjk(string s) =>
            System.Text.RegularExpressions.Regex.IsMatch(s, @"^[\p{IsHiragana}\p{IsKatakana}\p{IsCJKUnifiedIdeographs}\p{IsCJKUnifiedIdeographsExtensionA}\p{IsCJKCompatibilityIdeographs}]$");

        private static string Spelt(string s) => s switch
        {
            "ß" => "ss", "æ" => "ae", "œ" => "oe", "ø" => "o", "đ" => "d", "ð" => "d", "ł" => "l", "ı" => "i", "þ" => "th", "ħ" => "h", _ => s,
        };
    }
}

public sealed class LiteDbSearchContractTests : SearchContractTests, IDisposable
{
    private readonly TempDirectory _dir = new();

    protected override string NewLocation() => _dir.File($"{Guid.NewGuid():N}.db");

    protected override IStoryStore Open(string location) => StoryStore.Open(location, TimeProvider.System);

    [Fact]
    public async Task AStoreStoppedBeforeItsCheckpoint_IndexesWhatItsLogHolds()
    {
        var location = NewLocation();
        var copy = _dir.File("copy.db");
        using (var store = StoryStore.Open(location, TimeProvider.System))
        {
            await store.AddOrAttachAsync(Story("0000000000000001", Now, text: "Walrus on the pier"), [Key("a")], Now);
            // What a crash leaves: the data file and its log as they are, the commit not yet checkpointed.
            Assert.True(File.Exists(Log(location)));
            Copy(location, copy);
            Copy(Log(location), Log(copy));
        }
        using var reopened = StoryStore.Open(copy, TimeProvider.System);
        Assert.Equal(["0000000000000001"], reopened.QueryStories(new StoryQuery(Text: "walrus")).Items.Select(s => s.Id));
    }

    [Fact]
    public async Task AReopenedStoreReadsItsSearchSnapshot_UnlessAStoryChangedSince()
    {
        var location = NewLocation();
        var corpus = Corpus();
        using (var store = StoryStore.Open(location, TimeProvider.System))
        {
            foreach (var story in corpus) await store.AddOrAttachAsync(story, [Key(story.Id)], Now);
            Assert.Equal(0, store.SearchIndexRebuilt);
        }
        var saved = _dir.File("saved-search.bin");
        File.Copy(StoreData.SnapshotFile(location), saved);
        using (var store = StoryStore.Open(location, TimeProvider.System))
        {
            Assert.Equal(0, store.SearchIndexRebuilt);
            AssertSameAsReference(store, corpus);
            // The change retires the snapshot in its own commit: what a crash leaves now (the file and its
            // log, the snapshot of before beside them) is indexed from the stories, the new one included.
            var walrus = Story("00000000000000ff", Now, text: "Walrus on the pier");
            await store.AddOrAttachAsync(walrus, [Key("walrus")], Now);
            corpus.Add(walrus);
            var copy = _dir.File("crashed.db");
            Copy(location, copy);
            Copy(Log(location), Log(copy));
            File.Copy(saved, StoreData.SnapshotFile(copy));
            using var crashed = StoryStore.Open(copy, TimeProvider.System);
            Assert.Equal(corpus.Count, crashed.SearchIndexRebuilt);
            Assert.Equal([walrus.Id], crashed.QueryStories(new StoryQuery(Text: "walrus", ListFieldsOnly: true)).Items.Select(s => s.Id));
            AssertSameAsReference(crashed, corpus);
        }
        // Closed cleanly: the snapshot is written again, with the change.
        using var reopened = StoryStore.Open(location, TimeProvider.System);
        Assert.Equal(0, reopened.SearchIndexRebuilt);
        AssertSameAsReference(reopened, corpus);
    }

    [Fact]
    public async Task ATruncatedSearchSnapshotIsNotUsed()
    {
        var location = NewLocation();
        var corpus = Corpus();
        using (var store = StoryStore.Open(location, TimeProvider.System))
            foreach (var story in corpus) await store.AddOrAttachAsync(story, [Key(story.Id)], Now);
        var snapshot = StoreData.SnapshotFile(location);
        using (var file = new FileStream(snapshot, FileMode.Open)) file.SetLength(file.Length / 2);
        using var reopened = StoryStore.Open(location, TimeProvider.System);
        Assert.Equal(corpus.Count, reopened.SearchIndexRebuilt);
        AssertSameAsReference(reopened, corpus);
    }

    private static string Log(string path) => Path.ChangeExtension(path, null) + "-log" + Path.GetExtension(path);

    private static void Copy(string from, string to)
    {
        using var source = new FileStream(from, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var target = File.Create(to);
        source.CopyTo(target);
    }

    public void Dispose() => _dir.Dispose();
}

public sealed class PostgresSearchContractTests(TestPostgres server) : SearchContractTests, IClassFixture<TestPostgres>
{
    protected override string NewLocation() => server.NewSchema();

    protected override IStoryStore Open(string location) => PostgresStoryStore.Open(location, TimeProvider.System);

    [SkippableFact]
    public async Task StoriesStoredBeforeTheTermsColumnAreFilledAtOpen()
    {
        var location = NewLocation();
        using (var store = Open(location))
            await store.AddOrAttachAsync(Story("0000000000000001", Now, text: "Zürich tram strike"), [Key("a")], Now);
        server.Execute(location, "UPDATE stories SET terms = NULL");
        using var reopened = Open(location);
        Assert.Equal(["0000000000000001"], reopened.QueryStories(new StoryQuery(Text: "zurich tram")).Items.Select(s => s.Id));
    }
}
