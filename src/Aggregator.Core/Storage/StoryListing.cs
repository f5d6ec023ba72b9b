using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Aggregator.Core.Storage;

/// <summary>
/// What a story shows in a list (<c>/api/stories</c>: title, URL, summary, and per source feed,
/// outlet, URL, published, first seen, how matched) packed into one byte array, so that
/// <see cref="TermIndex"/> can answer a search page from memory instead of reading 50 documents with
/// their text and HTML. Strings are UTF-8 (UTF-16 when one is not well-formed, so nothing is lost),
/// lengths and times varints; about a third of the same fields as objects. Id, category and published
/// time are the index's own columns.
/// </summary>
internal static class StoryListing
{
    private const int FormatVersion = 1;

    public static byte[] Encode(StoryRecord story)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(buffer, FormatVersion);
        Write(buffer, story.Title);
        Write(buffer, story.Url);
        Write(buffer, story.Summary);
        Write(buffer, story.Sources.Count);
        foreach (var source in story.Sources)
        {
            Write(buffer, source.FeedId);
            Write(buffer, source.Title);
            Write(buffer, source.Url);
            Write(buffer, source.Published is { } published ? (ulong)published.Ticks + 1 : 0);
            Write(buffer, (ulong)source.FirstSeen.Ticks);
            Write(buffer, source.MatchedBy);
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A story with the list fields only (no text, HTML, byline…): enough for <c>/api/stories</c> and its cursor.</summary>
    public static StoryRecord Decode(string id, string category, long publishedTicks, byte[] listing)
    {
        var reader = new Reader(listing);
        reader.Number(); // format version: one so far
        var published = new DateTime(publishedTicks, DateTimeKind.Utc);
        var story = new StoryRecord
        {
            Id = id, Category = category, Published = published, SortKey = StoryRecord.MakeSortKey(published, id),
            Title = reader.Text() ?? "", Url = reader.Text(), Summary = reader.Text(),
        };
        var sources = (int)reader.Number();
        story.Sources = new List<StorySource>(sources);
        for (var i = 0; i < sources; i++)
        {
            var source = new StorySource { FeedId = reader.Text() ?? "", Title = reader.Text(), Url = reader.Text() };
            source.Published = reader.Number() is var p and > 0 ? new DateTime((long)p - 1, DateTimeKind.Utc) : null;
            source.FirstSeen = new DateTime((long)reader.Number(), DateTimeKind.Utc);
            source.MatchedBy = reader.Text() ?? "";
            story.Sources.Add(source);
        }
        return story;
    }

    /// <summary>Whether a source of the story came from <paramref name="feedId"/> (the <c>source</c> filter), without decoding the rest.</summary>
    public static bool HasFeed(byte[] listing, string feedId)
    {
        var reader = new Reader(listing);
        reader.Number();
        for (var i = 0; i < 3; i++) reader.Skip();
        var sources = (int)reader.Number();
        for (var i = 0; i < sources; i++)
        {
            if (reader.Is(feedId)) return true;
            reader.Skip();
            reader.Skip();
            reader.Number();
            reader.Number();
            reader.Skip();
        }
        return false;
    }

    private static void Write(ArrayBufferWriter<byte> buffer, ulong value)
    {
        buffer.Advance(Varint.Write(buffer.GetSpan(Varint.MaxBytes), value));
    }

    private static void Write(ArrayBufferWriter<byte> buffer, int value) => Write(buffer, (ulong)value);

    /// <summary>Null is 0; otherwise ((byte count &lt;&lt; 1) | 1 if UTF-16) + 1, then the bytes.</summary>
    private static void Write(ArrayBufferWriter<byte> buffer, string? value)
    {
        if (value is null)
        {
            Write(buffer, 0UL);
            return;
        }
        var utf8 = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(value.Length));
        try
        {
            if (Utf8.FromUtf16(value, utf8, out _, out var written, replaceInvalidSequences: false) == OperationStatus.Done)
            {
                Write(buffer, ((ulong)written << 1) + 1);
                buffer.Write(utf8.AsSpan(0, written));
                return;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(utf8);
        }
        var utf16 = System.Runtime.InteropServices.MemoryMarshal.AsBytes(value.AsSpan());
        Write(buffer, ((ulong)utf16.Length << 1) + 2);
        buffer.Write(utf16);
    }

    private ref struct Reader(byte[] bytes)
    {
        private int _at;

        public ulong Number() => Varint.Read(bytes, ref _at);

        public string? Text()
        {
            var (length, utf16) = Head();
            if (length < 0) return null;
            var span = bytes.AsSpan(_at, length);
            _at += length;
            return utf16 ? new string(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, char>(span)) : Encoding.UTF8.GetString(span);
        }

        public void Skip()
        {
            var (length, _) = Head();
            if (length > 0) _at += length;
        }

        /// <summary>Whether the next string is <paramref name="value"/> (consumed either way).</summary>
        public bool Is(string value)
        {
            var (length, utf16) = Head();
            if (length < 0) return false;
            var span = bytes.AsSpan(_at, length);
            _at += length;
            return utf16 ? System.Runtime.InteropServices.MemoryMarshal.Cast<byte, char>(span).SequenceEqual(value) : Utf8Equals(span, value);
        }

        private static bool Utf8Equals(ReadOnlySpan<byte> utf8, string value)
        {
            if (utf8.Length < value.Length || utf8.Length > value.Length * 3) return false;
            Span<char> chars = utf8.Length <= 256 ? stackalloc char[utf8.Length] : new char[utf8.Length];
            var n = Encoding.UTF8.GetChars(utf8, chars);
            return chars[..n].SequenceEqual(value);
        }

        private (int Length, bool Utf16) Head()
        {
            var head = Number();
            if (head == 0) return (-1, false);
            head--;
            return ((int)(head >> 1), (head & 1) == 1);
        }
    }
}
