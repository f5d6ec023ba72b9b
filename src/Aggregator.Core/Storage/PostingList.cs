namespace Aggregator.Core.Storage;

/// <summary>
/// The stories (ordinals, ascending) that have one term, as delta-encoded varints: stories arrive in
/// ordinal order, so adding one appends a few bytes, and a term found in every tenth story costs
/// about a byte per story instead of four. Every <see cref="SkipEvery"/>th entry leaves a skip point
/// (the ordinal before it and its byte offset), so a range of ordinals is read without decoding the
/// list from its start: a search reads the newest stories' window of each list, not the whole list.
/// </summary>
internal struct PostingList
{
    private const int SkipEvery = 64;
    private byte[] _bytes;
    private int _length;
    private int _last;
    /// <summary>Pairs (ordinal before entry k·64, byte offset of entry k·64), for k ≥ 1.</summary>
    private int[]? _skips;

    public int Count { get; private set; }

    /// <summary>Appends <paramref name="ordinal"/>, which must be greater than every ordinal already here.</summary>
    public void Add(int ordinal)
    {
        _bytes ??= new byte[4];
        if (_bytes.Length - _length < 5) Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _length + 5));
        if (Count > 0 && Count % SkipEvery == 0) AddSkip();
        _length += Varint.Write(_bytes.AsSpan(_length), (uint)(Count == 0 ? ordinal : ordinal - _last));
        _last = ordinal;
        Count++;
    }

    private void AddSkip()
    {
        var k = Count / SkipEvery - 1;
        _skips ??= new int[8];
        if (_skips.Length < 2 * k + 2) Array.Resize(ref _skips, Math.Max(_skips.Length * 2, 2 * k + 2));
        _skips[2 * k] = _last;
        _skips[2 * k + 1] = _length;
    }

    /// <summary>Gives back the spare capacity (after a bulk load).</summary>
    public void Trim()
    {
        if (_bytes is not null && _bytes.Length != _length) Array.Resize(ref _bytes, _length);
        var skips = 2 * ((Count - 1) / SkipEvery);
        if (_skips is not null && _skips.Length != skips) Array.Resize(ref _skips, skips);
    }

    /// <summary>Every ordinal, ascending.</summary>
    public readonly void CopyTo(List<int> target) => CopyRange(0, int.MaxValue, target);

    /// <summary>The ordinals in [<paramref name="low"/>, <paramref name="high"/>), ascending.</summary>
    public readonly void CopyRange(int low, int high, List<int> target)
    {
        var (i, value) = Seek(low);
        while (i < _length)
        {
            value += Read(ref i);
            if (value >= high) return;
            if (value >= low) target.Add(value);
        }
    }

    /// <summary>Keeps in <paramref name="sorted"/> (ascending) only the ordinals also here: one pass over both, from the first one's skip point.</summary>
    public readonly void IntersectWith(List<int> sorted)
    {
        if (sorted.Count == 0) return;
        var kept = 0;
        var (i, value) = Seek(sorted[0]);
        var have = false;
        for (var n = 0; n < sorted.Count; n++)
        {
            var wanted = sorted[n];
            while ((!have || value < wanted) && i < _length)
            {
                value += Read(ref i);
                have = true;
            }
            if (have && value == wanted) sorted[kept++] = wanted;
            if (value < wanted && i >= _length) break;
        }
        sorted.RemoveRange(kept, sorted.Count - kept);
    }

    /// <summary>Sets bit (o − <paramref name="low"/>) of every ordinal o here in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public readonly void SetBits(ulong[] bits, int low, int high)
    {
        var (i, value) = Seek(low);
        while (i < _length)
        {
            value += Read(ref i);
            if (value >= high) return;
            if (value < low) continue;
            var bit = value - low;
            bits[bit >> 6] |= 1UL << (bit & 63);
        }
    }

    /// <summary>Where to start decoding so that no ordinal ≥ <paramref name="low"/> is missed: the byte offset and the value before it.</summary>
    private readonly (int Offset, int Value) Seek(int low)
    {
        if (_skips is null || Count <= SkipEvery || low <= 0) return (0, 0);
        // The last skip point whose preceding ordinal is below low: every entry before it is below low too.
        int lowK = 0, highK = (Count - 1) / SkipEvery;
        while (lowK < highK)
        {
            var mid = (lowK + highK) >>> 1;
            if (_skips[2 * mid] < low) lowK = mid + 1;
            else highK = mid;
        }
        return lowK == 0 ? (0, 0) : (_skips[2 * (lowK - 1) + 1], _skips[2 * (lowK - 1)]);
    }

    /// <summary>The list as stored in a snapshot (<see cref="TermIndex.Save"/>): count, last ordinal, the varint bytes.</summary>
    public readonly void WriteTo(BinaryWriter writer)
    {
        writer.Write(Count);
        writer.Write(_last);
        writer.Write(_length);
        writer.Write(_bytes ?? [], 0, _length);
    }

    /// <summary>A list as <see cref="WriteTo"/> wrote it, decoded once to check it (ascending, below <paramref name="ordinals"/>, as long as it says) and to set its skip points.</summary>
    public static PostingList ReadFrom(BinaryReader reader, int ordinals)
    {
        var count = reader.ReadInt32();
        var last = reader.ReadInt32();
        var length = reader.ReadInt32();
        if (count < 0 || length < 0 || length > 5 * (long)count) throw new InvalidDataException("search snapshot: a posting list's size is out of range");
        var bytes = reader.ReadBytes(length);
        if (bytes.Length != length) throw new EndOfStreamException();
        var source = new PostingList { _bytes = bytes, _length = length, Count = count };
        var list = default(PostingList);
        var value = 0;
        for (var i = 0; i < length;)
        {
            var delta = source.Read(ref i);
            if (delta < 0 || (list.Count > 0 && delta == 0) || (long)value + delta >= ordinals) throw new InvalidDataException("search snapshot: a posting list does not decode");
            value += delta;
            list.Add(value);
        }
        if (list.Count != count || (count > 0 && value != last)) throw new InvalidDataException("search snapshot: a posting list does not decode");
        list.Trim();
        return list;
    }

    /// <summary>One varint; a truncated one reads past the bytes (<see cref="IndexOutOfRangeException"/>, caught by the snapshot's loader).</summary>
    private readonly int Read(ref int i) => (int)Varint.Read(_bytes, ref i);
}
