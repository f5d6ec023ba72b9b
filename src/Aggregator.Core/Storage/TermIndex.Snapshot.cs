using System.Text;

namespace Aggregator.Core.Storage;

/// <summary>
/// The index written to a file beside the database, so that opening a large store reads one file
/// instead of tokenising every story again (100,000 stories: about a second instead of a minute).
/// The file carries a token that the database also holds while the two agree (see
/// <see cref="StoreData.SaveSearchSnapshot"/>); a file whose token, story count or layout does not
/// match is not used, and the index is built from the stories as before.
/// </summary>
internal sealed partial class TermIndex
{
    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("AggregatorSearch");
    private const int SnapshotVersion = 1;
    private const int Trailer = 0x5EA2C4ED;

    /// <summary>Writes the committed index (writer thread: nothing changes it meanwhile).</summary>
    public void Save(Stream stream, string token)
    {
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(SnapshotVersion);
        writer.Write(token);
        writer.Write(_ordinals.Count);
        writer.Write(_dead);
        _lock.EnterReadLock();
        try
        {
            _stories.WriteTo(writer);
            _terms.WriteTo(writer);
        }
        finally
        {
            _lock.ExitReadLock();
        }
        writer.Write(Trailer);
    }

    /// <summary>
    /// The index <paramref name="file"/> holds, if it was written with <paramref name="token"/> and
    /// holds <paramref name="stories"/> stories; null when it is missing, stale or damaged.
    /// </summary>
    public static TermIndex? TryLoad(string file, string token, int stories)
    {
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            using var reader = new BinaryReader(stream, Encoding.UTF8);
            if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic) || reader.ReadInt32() != SnapshotVersion) return null;
            if (reader.ReadString() != token || reader.ReadInt32() != stories) return null;
            var index = new TermIndex { _dead = reader.ReadInt32() };
            index._stories.ReadFrom(reader);
            index._terms = TermDictionary.ReadFrom(reader, index._stories.Count);
            if (reader.ReadInt32() != Trailer || stream.Position != stream.Length) return null;
            for (var o = 0; o < index._stories.Count; o++)
                if (index._stories.Id[o] is { } id && !index._ordinals.TryAdd(id, o)) return null;
            return index._ordinals.Count == stories ? index : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or FormatException or ArgumentException or OverflowException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
