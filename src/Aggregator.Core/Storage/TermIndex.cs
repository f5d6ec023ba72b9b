namespace Aggregator.Core.Storage;

/// <summary>
/// LiteDB's full-text index, in memory beside the file like <see cref="KeyIndex"/>: each term of
/// <see cref="SearchTerms"/> → the stories that have it (<see cref="PostingList"/>), built at load
/// and kept by the writer. Stories get ordinals as they are indexed; a changed or deleted story's
/// ordinal goes dead and is skipped, and when dead ones outnumber half the live ones everything is
/// renumbered. Changes are staged inside the writer's transaction and applied on commit, under a
/// write lock held only while applying, so a search sees a batch whole or not at all.
/// </summary>
internal sealed partial class TermIndex
{
    private const int MinDeadToCompact = 1024;
    private readonly ReaderWriterLockSlim _lock = new();
    private readonly StoryColumns _stories = new();
    private TermDictionary _terms = new();
    /// <summary>Story id → live ordinal (writer only).</summary>
    private readonly Dictionary<string, int> _ordinals = new(StringComparer.Ordinal);
    private readonly List<(string Id, Entry? Entry)> _staged = [];
    private readonly HashSet<string> _stagedIds = new(StringComparer.Ordinal);
    private int _dead;

    /// <summary>What the index keeps of a story: its sort order, its filters, what a list shows of it (<see cref="StoryListing"/>), and its terms (null: the same as indexed).</summary>
    internal sealed record Entry(long Ticks, string Category, ulong TextHash, byte[] Listing, IReadOnlyList<string>? Terms)
    {
        public static Entry Of(StoryRecord story, bool sameText = false) =>
            new(story.Published.Ticks, story.Category, HashOf(story), StoryListing.Encode(story), sameText ? null : SearchTerms.Of(story.Title, story.Text));

        /// <summary>FNV-1a over title and text: an update that leaves them alone (a source attached) is not tokenised again.</summary>
        public static ulong HashOf(StoryRecord story)
        {
            var hash = 14695981039346656037UL;
            foreach (var c in story.Title) hash = (hash ^ c) * 1099511628211UL;
            hash = (hash ^ 0xFFFF) * 1099511628211UL;
            foreach (var c in story.Text ?? "") hash = (hash ^ c) * 1099511628211UL;
            return hash;
        }
    }

    public int Stories => _ordinals.Count;

    public int Terms => _terms.Count;

    /// <summary>Whether the open transaction changed what the index holds (writer only).</summary>
    public bool HasStaged => _staged.Count > 0;

    /// <summary>Indexes a story at load (single-threaded, before any reader).</summary>
    public void Load(string id, Entry entry) => Add(id, entry);

    /// <summary>After loading: terms sorted for prefix lookups, spare capacity given back.</summary>
    public void LoadDone() => _terms.Settle(trim: true);

    /// <summary>A story inserted or changed (writer, inside its transaction).</summary>
    public void Stage(StoryRecord story)
    {
        var same = !_stagedIds.Contains(story.Id) && _ordinals.TryGetValue(story.Id, out var ordinal)
            && _stories.TextHash[ordinal] == Entry.HashOf(story);
        _stagedIds.Add(story.Id);
        _staged.Add((story.Id, Entry.Of(story, same)));
    }

    public void StageRemoval(string id)
    {
        _stagedIds.Add(id);
        _staged.Add((id, null));
    }

    public void DiscardStaged()
    {
        _staged.Clear();
        _stagedIds.Clear();
    }

    /// <summary>Applies what the committed transaction staged.</summary>
    public void CommitStaged()
    {
        if (_staged.Count == 0) return;
        _lock.EnterWriteLock();
        try
        {
            foreach (var (id, entry) in _staged) Apply(id, entry);
            _terms.Settle(trim: false);
            if (_dead > MinDeadToCompact && _dead > _ordinals.Count / 2) Compact();
        }
        finally
        {
            _lock.ExitWriteLock();
        }
        DiscardStaged();
    }

    private void Apply(string id, Entry? entry)
    {
        var exists = _ordinals.TryGetValue(id, out var ordinal);
        if (exists && entry is { Terms: null })
        {
            _stories.SetTicks(ordinal, entry.Ticks);
            _stories.Category[ordinal] = _stories.Shared(entry.Category);
            _stories.Listing[ordinal] = entry.Listing;
            return;
        }
        if (exists)
        {
            _stories.Id[ordinal] = null;
            _stories.Listing[ordinal] = null;
            _ordinals.Remove(id);
            _dead++;
        }
        if (entry is not null) Add(id, entry);
    }

    private void Add(string id, Entry entry)
    {
        var ordinal = _stories.Append(id, entry);
        _ordinals[id] = ordinal;
        var initials = new HashSet<int>();
        foreach (var term in entry.Terms ?? [])
        {
            _terms.Postings(term).Add(ordinal);
            var initial = InitialKey(term).Length - 1;
            if (term.Length > initial && initials.Add((term[0] << 16) | (initial == 2 ? term[1] : 0))) _terms.Postings(InitialKey(term)).Add(ordinal);
        }
    }

    /// <summary>
    /// The key of the list of every story with a longer term starting with <paramref name="word"/>'s
    /// first letter, kept beside the terms (a key no term can have: terms are letters and digits): a
    /// one-letter prefix, as typed first, is then that list and the letter's own, instead of the union
    /// of thousands. About 20 entries per story; none for a term that is one letter (a CJK character).
    /// </summary>
    internal static string InitialKey(string word) => "\0" + word[..(char.IsHighSurrogate(word[0]) && word.Length > 1 ? 2 : 1)];

    /// <summary>Renumbers the live stories densely and drops dead ordinals (and terms left with none) from every list.</summary>
    private void Compact()
    {
        var remap = _stories.Compact();
        _terms.Remap(remap);
        _ordinals.Clear();
        for (var o = 0; o < _stories.Count; o++) _ordinals[_stories.Id[o]!] = o;
        _dead = 0;
    }
}
