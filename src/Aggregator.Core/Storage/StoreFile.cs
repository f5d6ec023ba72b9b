using System.Buffers.Binary;
using System.Text;

namespace Aggregator.Core.Storage;

/// <summary>The file at <c>storage.path</c> is not a database we may open: named, with what to do, and never overwritten.</summary>
public sealed class StoreFileException(string path, string problem, string? advice = null)
    : Exception($"storage: {path}: {problem}; {advice ?? "nothing was changed. Point storage.path at another file, or move this one away"}");

/// <summary>
/// Cheap structural checks of a LiteDB data file before it is opened: LiteDB would silently
/// initialise a non-database file as an empty database (destroying it), and a damaged file fails
/// deep inside the engine. Page layout (LiteDB 5): 8 KiB pages, each starting with its own page
/// number (uint32) and page type (byte); page 0 carries the header text at offset 32.
/// </summary>
public static class StoreFile
{
    public const int PageSize = 8192;
    private const int HeaderTextAt = 32;
    private const byte MaxPageType = 6;
    private static readonly byte[] HeaderText = Encoding.ASCII.GetBytes("** This is a LiteDB file **");

    /// <summary>
    /// Throws <see cref="StoreFileException"/> unless <paramref name="path"/> is absent, empty, or a
    /// LiteDB file whose every page header is where it should be. Reads the file once, sequentially.
    /// </summary>
    public static void Check(string path)
    {
        if (Directory.Exists(path)) throw new StoreFileException(path, "is a directory, not a database file");
        if (!File.Exists(path)) return;
        using var stream = Open(path);
        var page = new byte[PageSize];
        var first = ReadPage(stream, page);
        if (first == 0) return; // an empty file holds nothing to lose: LiteDB initialises it
        if (first < HeaderTextAt + HeaderText.Length || !page.AsSpan(HeaderTextAt, HeaderText.Length).SequenceEqual(HeaderText))
            throw new StoreFileException(path, "is not an Aggregator (LiteDB) database");
        if (first < PageSize) throw Damaged(path, "it is shorter than one page (truncated)");
        for (uint number = 1; ; number++)
        {
            var read = ReadPage(stream, page);
            if (read == 0) return;
            if (read < PageSize) throw Damaged(path, $"it ends inside page {number} (truncated)");
            if (page.AsSpan(0, 32).IndexOfAnyExcept((byte)0) < 0) continue; // a page never written
            var id = BinaryPrimitives.ReadUInt32LittleEndian(page);
            if (id != number || page[4] > MaxPageType) throw Damaged(path, $"page {number} has a foreign header (id {id}, type {page[4]})");
        }
    }

    private static FileStream Open(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
        }
        catch (UnauthorizedAccessException)
        {
            throw new StoreFileException(path, "cannot be read (permission denied)", "give the service user access to it, or point storage.path elsewhere");
        }
    }

    private static StoreFileException Damaged(string path, string why) =>
        new(path, $"the database is damaged: {why}", "nothing was changed. Run 'aggregator check --repair' to salvage it into a new file (the damaged one is kept beside it), or restore a backup");

    private static int ReadPage(Stream stream, byte[] page)
    {
        var total = 0;
        while (total < page.Length)
        {
            var n = stream.Read(page, total, page.Length - total);
            if (n == 0) break;
            total += n;
        }
        return total;
    }
}
