namespace Aggregator.Api;

/// <summary>
/// HEAD on every GET route (RFC 9110 §9.3.2): the request is routed and answered as a GET — same
/// status and headers, Content-Length included — and the body is counted, not sent. Feed readers
/// and link checkers use HEAD to probe; without this every route answered 405.
/// </summary>
internal static class HeadRequests
{
    private static readonly object HeadMarker = new();

    /// <summary>Whether this GET is really a HEAD (for handlers that must not start an endless body, such as the event stream).</summary>
    public static bool IsHead(HttpContext context) => context.Items.ContainsKey(HeadMarker);

    public static void UseHeadAsGet(this WebApplication app) => app.Use(async (context, next) =>
    {
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await next();
            return;
        }
        context.Request.Method = HttpMethods.Get;
        context.Items[HeadMarker] = true;
        var original = context.Response.Body;
        await using var counter = new CountingStream();
        context.Response.Body = counter;
        try
        {
            await next();
        }
        finally
        {
            context.Response.Body = original;
            context.Request.Method = HttpMethods.Head;
        }
        if (!context.Response.HasStarted && context.Response.ContentLength is null && counter.Length > 0)
            context.Response.ContentLength = counter.Length;
    });

    /// <summary>A write-only stream that keeps only the number of bytes written.</summary>
    private sealed class CountingStream : Stream
    {
        private long _length;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => _length += count;
        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _length += buffer.Length;
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            _length += count;
            return Task.CompletedTask;
        }
    }
}
