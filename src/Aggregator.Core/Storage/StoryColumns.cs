namespace Aggregator.Core.Storage;

/// <summary>
/// What <see cref="TermIndex"/> keeps per story ordinal, column by column: the id (null once the
/// ordinal is dead), published ticks and category (to filter and sort without reading the story),
/// the hash of its title and text, and what a list shows of it (<see cref="StoryListing"/>).
/// </summary>
internal sealed class StoryColumns
{
    private readonly Dictionary<string, string> _categories = new(StringComparer.Ordinal);
    public string?[] Id = new string?[256];
    public long[] Ticks = new long[256];
    public string[] Category = new string[256];
    public ulong[] TextHash = new ulong[256];
    public byte[]?[] Listing = new byte[]?[256];
    /// <summary>
    /// The latest published ticks of ordinals 0..o (an upper bound: a story that moved earlier leaves it
    /// as it was): a search walking back from the newest ordinals stops once nothing below can be newer.
    /// </summary>
    public long[] MaxTicks = new long[256];

    /// <summary>Ordinals in use (live and dead).</summary>
    public int Count { get; private set; }

    public int Append(string id, TermIndex.Entry entry)
    {
        if (Count == Id.Length) Resize(Count * 2);
        Id[Count] = id;
        Ticks[Count] = entry.Ticks;
        Category[Count] = Shared(entry.Category);
        TextHash[Count] = entry.TextHash;
        Listing[Count] = entry.Listing;
        MaxTicks[Count] = Count == 0 ? entry.Ticks : Math.Max(MaxTicks[Count - 1], entry.Ticks);
        return Count++;
    }

    /// <summary>A live story's published time changed in place.</summary>
    public void SetTicks(int ordinal, long ticks)
    {
        Ticks[ordinal] = ticks;
        for (var o = ordinal; o < Count && MaxTicks[o] < ticks; o++) MaxTicks[o] = ticks;
    }

    private void RecomputeMaxTicks()
    {
        for (var o = 0; o < Count; o++) MaxTicks[o] = o == 0 ? Ticks[0] : Math.Max(MaxTicks[o - 1], Ticks[o]);
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
            (Id[live], Ticks[live], Category[live], TextHash[live], Listing[live]) = (Id[o], Ticks[o], Category[o], TextHash[o], Listing[o]);
            live++;
        }
        Array.Clear(Id, live, Count - live);
        Array.Clear(Listing, live, Count - live);
        Count = live;
        Resize(Math.Max(256, live + live / 4));
        RecomputeMaxTicks();
        return remap;
    }

    /// <summary>Every ordinal, live and dead, for <see cref="TermIndex.Save"/>.</summary>
    public void WriteTo(BinaryWriter writer)
    {
        writer.Write(Count);
        for (var o = 0; o < Count; o++)
        {
            writer.Write(Id[o] is not null);
            if (Id[o] is null) continue;
            writer.Write(Id[o]!);
            writer.Write(Ticks[o]);
            writer.Write(Category[o]);
            writer.Write(TextHash[o]);
            writer.Write7BitEncodedInt(Listing[o]!.Length);
            writer.Write(Listing[o]!);
        }
    }

    public void ReadFrom(BinaryReader reader)
    {
        var count = reader.ReadInt32();
        if (count < 0) throw new InvalidDataException("search snapshot: negative story count");
        Resize(Math.Max(256, count));
        for (var o = 0; o < count; o++)
        {
            if (!reader.ReadBoolean()) continue;
            Id[o] = reader.ReadString();
            Ticks[o] = reader.ReadInt64();
            Category[o] = Shared(reader.ReadString());
            TextHash[o] = reader.ReadUInt64();
            var length = reader.Read7BitEncodedInt();
            Listing[o] = reader.ReadBytes(length);
            if (Listing[o]!.Length != length) throw new EndOfStreamException();
        }
        Count = count;
        RecomputeMaxTicks();
    }

    private void Resize(int size)
    {
        Array.Resize(ref Id, size);
        Array.Resize(ref Ticks, size);
        Array.Resize(ref Category, size);
        Array.Resize(ref TextHash, size);
        Array.Resize(ref Listing, size);
        Array.Resize(ref MaxTicks, size);
    }
}
