namespace Aggregator.Core.Storage;

/// <summary>
/// The stories (ordinals, ascending) that have one term, as delta-encoded varints: stories arrive in
/// ordinal order, so adding one appends a few bytes, and a term found in every tenth story costs
/// about a byte per story instead of four. Read only whole, front to back.
/// </summary>
internal struct PostingList
{
    private byte[] _bytes;
    private int _length;
    private int _last;

    public int Count { get; private set; }

    /// <summary>Appends <paramref name="ordinal"/>, which must be greater than every ordinal already here.</summary>
    public void Add(int ordinal)
    {
        _bytes ??= new byte[4];
        if (_bytes.Length - _length < 5) Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _length + 5));
        var delta = (uint)(Count == 0 ? ordinal : ordinal - _last);
        while (delta >= 0x80)
        {
            _bytes[_length++] = (byte)(delta | 0x80);
            delta >>= 7;
        }
        _bytes[_length++] = (byte)delta;
        _last = ordinal;
        Count++;
    }

    /// <summary>Gives back the spare capacity (after a bulk load).</summary>
    public void Trim()
    {
        if (_bytes is not null && _bytes.Length != _length) Array.Resize(ref _bytes, _length);
    }

    /// <summary>Every ordinal, ascending.</summary>
    public readonly void CopyTo(List<int> target)
    {
        var value = 0;
        for (var i = 0; i < _length;)
        {
            value += Read(ref i);
            target.Add(value);
        }
    }

    /// <summary>Keeps in <paramref name="sorted"/> (ascending) only the ordinals also here: one pass over both.</summary>
    public readonly void IntersectWith(List<int> sorted)
    {
        var kept = 0;
        var value = 0;
        var i = 0;
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

    /// <summary>Sets the bit of every ordinal here.</summary>
    public readonly void SetBits(ulong[] bits)
    {
        var value = 0;
        for (var i = 0; i < _length;)
        {
            value += Read(ref i);
            bits[value >> 6] |= 1UL << (value & 63);
        }
    }

    /// <summary>The list as stored in a snapshot (<see cref="TermIndex.Save"/>): count, last ordinal, the varint bytes.</summary>
    public readonly void WriteTo(BinaryWriter writer)
    {
        writer.Write(Count);
        writer.Write(_last);
        writer.Write(_length);
        writer.Write(_bytes ?? [], 0, _length);
    }

    /// <summary>A list as <see cref="WriteTo"/> wrote it, decoded once to check it: ascending, below <paramref name="ordinals"/>, as long as it says.</summary>
    public static PostingList ReadFrom(BinaryReader reader, int ordinals)
    {
        var list = new PostingList { Count = reader.ReadInt32(), _last = reader.ReadInt32(), _length = reader.ReadInt32() };
        if (list.Count < 0 || list._length < 0 || list._length > 5 * (long)list.Count) throw new InvalidDataException("search snapshot: a posting list's size is out of range");
        list._bytes = reader.ReadBytes(list._length);
        if (list._bytes.Length != list._length) throw new EndOfStreamException();
        if (!list.Valid(ordinals)) throw new InvalidDataException("search snapshot: a posting list does not decode");
        return list;
    }

    /// <summary>A truncated last varint reads past the bytes: <see cref="IndexOutOfRangeException"/>, which the snapshot's loader catches.</summary>
    private readonly bool Valid(int ordinals)
    {
        long value = 0;
        var n = 0;
        for (var i = 0; i < _length; n++)
        {
            var delta = Read(ref i);
            if (delta < 0 || (n > 0 && delta == 0)) return false;
            value += delta;
            if (value >= ordinals) return false;
        }
        return n == Count && (Count == 0 || value == _last);
    }

    private readonly int Read(ref int i)
    {
        uint result = 0;
        var shift = 0;
        byte b;
        do
        {
            b = _bytes[i++];
            result |= (uint)(b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        return (int)result;
    }
}
