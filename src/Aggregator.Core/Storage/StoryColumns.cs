namespace Aggregator.Core.Storage;

/// <summary>
/// What <see cref="TermIndex"/> keeps per story ordinal, column by column: the id (null once the
/// ordinal is dead), published ticks and category (to filter and sort without reading the story),
/// and the hash of its title and text.
/// </summary>
internal sealed class StoryColumns
{
    private readonly Dictionary<string, string> _categories = new(StringComparer.Ordinal);
    public string?[] Id = new string?[256];
    public long[] Ticks = new long[256];
    public string[] Category = new string[256];
    public ulong[] TextHash = new ulong[256];

    /// <summary>Ordinals in use (live and dead).</summary>
    public int Count { get; private set; }

    public int Append(string id, TermIndex.Entry entry)
    {
        if (Count == Id.Length) Resize(Count * 2);
        Id[Count] = id;
        Ticks[Count] = entry.Ticks;
        Category[Count] = Shared(entry.Category);
        TextHash[Count] = entry.TextHash;
        return Count++;
    }

    /// <summary>One instance per category name, however many stories carry it.</summary>
    public string Shared(string category)
    {
        if (!_categories.TryGetValue(category, out var shared)) _categories[category] = shared = category;
        return shared;
    }

    /// <summary>Moves the live ordinals down over the dead ones; returns old ordinal → new (-1: dead).</summary>
    public int[] Compact()
    {
        var remap = new int[Count];
        var live = 0;
        for (var o = 0; o < Count; o++)
        {
            if (Id[o] is null)
            {
                remap[o] = -1;
                continue;
            }
            remap[o] = live;
            (Id[live], Ticks[live], Category[live], TextHash[live]) = (Id[o], Ticks[o], Category[o], TextHash[o]);
            live++;
        }
        Array.Clear(Id, live, Count - live);
        Count = live;
        Resize(Math.Max(256, live + live / 4));
        return remap;
    }

    private void Resize(int size)
    {
        Array.Resize(ref Id, size);
        Array.Resize(ref Ticks, size);
        Array.Resize(ref Category, size);
        Array.Resize(ref TextHash, size);
    }
}
