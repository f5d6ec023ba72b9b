using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Aggregator.Core.Configuration;
using Aggregator.Core.Dedup;
using Aggregator.Core.Storage;
using Aggregator.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Aggregator.Tests.Api;

/// <summary>Bad input that used to get through (500s, javascript: URLs, future dates, refused RFC 3339 forms, HEAD) and who may call operator routes.</summary>
public class HardeningTests : IAsyncLifetime
{
    private static readonly DateTime Now = new(2026, 3, 2, 12, 0, 0, DateTimeKind.Utc);
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(Now));
    private StoryStore _store = null!;
    private ApiHost _api = null!;

    public async Task InitializeAsync()
    {
        var config = TestConfigs.For(_dir.File("h.db"), TestConfigs.Feed("wire", new Uri("https://wire.example/rss"), fullText: false));
        _store = StoryStore.Open(config.Storage.Path, _time);
        await _store.AddOrAttachAsync(new StoryRecord
        {
            Id = "00000000000000aa", SortKey = StoryRecord.MakeSortKey(Now.AddHours(-1), "00000000000000aa"), Title = "Hostile metadata",
            Url = "javascript:alert('story')", Category = "World", Published = Now.AddHours(-1), FirstSeen = Now.AddHours(-1), Updated = Now.AddHours(-1),
            ImageUrl = "javascript:alert(document.domain)", Html = "<p>Body</p>", Text = "Body",
            Sources =
            [
                new StorySource { FeedId = "wire", Title = "Wire", Url = "https://wire.example/a", Published = new DateTime(9999, 12, 31, 23, 59, 59, DateTimeKind.Utc), FirstSeen = Now.AddHours(-1) },
                new StorySource { FeedId = "wire", Title = "Wire 2", Url = "javascript:alert('source')", Published = Now.AddHours(-2), FirstSeen = Now.AddHours(-1) },
            ],
        }, [new StoryKey(StoryKeys.Url, StoryKeys.Hash("aa"))], Now);
        _api = await ApiHost.StartAsync(config, _store, time: _time);
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        _store.Dispose();
        _dir.Dispose();
    }

    [Theory]
    [InlineData("/api/stories/00000000000000aa/split")]
    [InlineData("/api/backup")]
    public async Task InvalidUtf8InAJsonBodyIsA400NamingTheBody(string route)
    {
        using var content = new ByteArrayContent([.. "{\"url\":\""u8, 0xff, .. "\",\"path\":\"/tmp/"u8, 0xff, .. "\"}"u8]);
        content.Headers.ContentType = new("application/json");
        var response = await _api.Client.PostAsync(route, content);
        await AssertProblem(response, HttpStatusCode.BadRequest, "body");
    }

    [Fact]
    public async Task AChunkedBodyIsRefusedAtTheCapWhileItIsStillComing()
    {
        // The client sends one 64 KB chunk and never finishes: the answer must come from the cap, not from the end of the body.
        using var socket = new TcpClient();
        var uri = _api.Client.BaseAddress!;
        await socket.ConnectAsync(uri.Host, uri.Port);
        var stream = socket.GetStream();
        var chunk = new string(' ', 64 * 1024);
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"POST /api/backup HTTP/1.1\r\nHost: {uri.Authority}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n{chunk.Length:x}\r\n{chunk}\r\n"));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var statusLine = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.StartsWith("HTTP/1.1 413", statusLine);
    }

    [Fact]
    public async Task AChunkedBodyOver30MegabytesIsA413NotA500()
    {
        // The server answers at the cap and closes while 31 MB are still coming; an HTTP client may then
        // fail its write (broken pipe) before it reads the answer, so the answer is read as it arrives.
        using var socket = new TcpClient();
        var uri = _api.Client.BaseAddress!;
        await socket.ConnectAsync(uri.Host, uri.Port);
        var stream = socket.GetStream();
        var answer = ReadAnswerAsync(stream);
        var chunk = Encoding.ASCII.GetBytes($"{64 * 1024:x}\r\n{new string(' ', 64 * 1024)}\r\n");
        try
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(
                $"POST /api/stories/00000000000000aa/split HTTP/1.1\r\nHost: {uri.Authority}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"));
            for (long sent = 0; sent < 31L * 1024 * 1024 && !answer.IsCompleted; sent += 64 * 1024) await stream.WriteAsync(chunk);
        }
        catch (IOException)
        {
            // The server closed the connection after answering: what it answered is below.
        }
        var text = await answer.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.StartsWith("HTTP/1.1 413", text);
        Assert.Contains("application/problem+json", text);
        Assert.Contains("\"parameter\":\"body\"", text);
    }

    /// <summary>Everything the server sends until it closes (or resets) the connection.</summary>
    private static Task<string> ReadAnswerAsync(NetworkStream stream) => Task.Run(async () =>
    {
        var received = new StringBuilder();
        var buffer = new byte[8192];
        try
        {
            for (int n; (n = await stream.ReadAsync(buffer)) > 0;)
            {
                received.Append(Encoding.ASCII.GetString(buffer, 0, n));
                if (received.ToString().Contains("\r\n\r\n") && received.ToString().Contains('}')) break;
            }
        }
        catch (IOException)
        {
        }
        return received.ToString();
    });

    [Fact]
    public async Task NoJavascriptUrlIsEmittedAnywhere()
    {
        var detail = await _api.Client.GetFromJsonAsync<JsonElement>("/api/stories/00000000000000aa");
        Assert.Equal(JsonValueKind.Null, detail.GetProperty("imageUrl").ValueKind);
        Assert.Equal(JsonValueKind.Null, detail.GetProperty("url").ValueKind);
        Assert.Equal(JsonValueKind.Null, detail.GetProperty("sources")[1].GetProperty("url").ValueKind);
        var list = await _api.Client.GetStringAsync("/api/stories");
        var feed = await _api.Client.GetStringAsync("/feeds/world.json");
        var rss = await _api.Client.GetStringAsync("/feeds/world.rss");
        var atom = await _api.Client.GetStringAsync("/feeds/world.atom");
        var index = await _api.Client.GetStringAsync("/");
        var page = await _api.Client.GetStringAsync("/stories/00000000000000aa");
        foreach (var text in new[] { list, feed, rss, atom, index, page }) Assert.DoesNotContain("javascript:", text);
        Assert.False(JsonDocument.Parse(feed).RootElement.GetProperty("items")[0].TryGetProperty("image", out _));
        Assert.DoesNotContain("<img", index);
        Assert.DoesNotContain("<img", page);
    }

    [Fact]
    public async Task EveryEmittedDateIsClampedLikeTheStory()
    {
        var detail = await _api.Client.GetFromJsonAsync<JsonElement>("/api/stories/00000000000000aa");
        Assert.Equal(JsonValueKind.Null, detail.GetProperty("sources")[0].GetProperty("published").ValueKind);
        Assert.Equal(Now.AddHours(-2), detail.GetProperty("sources")[1].GetProperty("published").GetDateTime());
        var list = await _api.Client.GetStringAsync("/api/stories");
        Assert.DoesNotContain("9999", list);
        Assert.DoesNotContain("9999", await _api.Client.GetStringAsync("/feeds/world.json"));
    }

    [Theory]
    [InlineData("2026-03-02t11:00:00z", 1)]
    [InlineData("2026-03-02T11:00:00.000000100Z", 0)] // nine fractional digits (kept to 100 ns): one tick after the story
    [InlineData("2026-03-02T10:59:59.999999999Z", 1)]
    [InlineData("2026-03-01T11:01:00-23:59", 1)]
    [InlineData("2026-03-02T12:00:00+01:00", 1)]
    [InlineData("2026-03-02T12:00:00%2001:00", 1)] // an unencoded '+' arrives as a space
    [InlineData("2026-03-02T12:00:01+01:00", 0)]
    [InlineData("2026-03-02 11:00:00Z", 1)]
    [InlineData("2026-03-02T10:59:60Z", 1)] // a leap second: 11:00:00
    [InlineData("2026-03-02", 1)]
    [InlineData("2026-03-03", 0)]
    public async Task ValidRfc3339FormsAreAccepted(string since, int expected)
    {
        // The one story was published at 2026-03-02T11:00:00Z; since is inclusive.
        var response = await _api.Client.GetAsync($"/api/stories?since={since}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("2026-03-02T24:00:00Z")]
    [InlineData("2026-02-30T00:00:00Z")]
    [InlineData("2026-03-02T11:00:00+24:00")]
    [InlineData("2026-03-02T11:00Z")]
    [InlineData("9999-12-31T23:59:59-01:00")]
    [InlineData("２０２６-03-02")]
    public async Task MalformedTimesAre400(string since)
    {
        var response = await _api.Client.GetAsync($"/api/stories?since={Uri.EscapeDataString(since)}");
        await AssertProblem(response, HttpStatusCode.BadRequest, "since");
    }

    [Fact]
    public async Task HeadAnswersEveryGetRouteWithTheSameHeadersAndNoBody()
    {
        var routes = _api.Routes().Where(r => r.Methods.Contains("GET")).Select(r => r.Pattern).Distinct().ToList();
        Assert.Contains("/api/stories", routes);
        // The event stream never ends a GET: its HEAD is tested with the stream (Webhooks/StreamTests).
        foreach (var pattern in routes.Where(p => p != "/api/stream"))
        {
            var url = pattern.Replace("{id}", "00000000000000aa").Replace("{file}", "world.rss").Replace("{**path}", "").Replace("{documentName}", "v1");
            var get = await _api.Client.GetAsync(url);
            using var request = new HttpRequestMessage(HttpMethod.Head, url);
            var head = await _api.Client.SendAsync(request);
            Assert.True(get.StatusCode == head.StatusCode, $"HEAD {url}: {head.StatusCode}, GET {get.StatusCode}");
            Assert.Empty(await head.Content.ReadAsByteArrayAsync());
            Assert.Equal(get.Content.Headers.ContentType?.ToString(), head.Content.Headers.ContentType?.ToString());
            Assert.Equal(get.Headers.ETag?.Tag, head.Headers.ETag?.Tag);
            if (url != "/metrics" && get.StatusCode == HttpStatusCode.OK)
                Assert.True((await get.Content.ReadAsByteArrayAsync()).Length == head.Content.Headers.ContentLength, $"HEAD {url}: Content-Length");
        }
        using var conditional = new HttpRequestMessage(HttpMethod.Head, "/feeds/world.rss");
        conditional.Headers.IfNoneMatch.Add((await _api.Client.GetAsync("/feeds/world.rss")).Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await _api.Client.SendAsync(conditional)).StatusCode);
    }

    [Fact]
    public async Task EveryOperatorRouteRefusesCallersWithoutTheKeyAndProxiedLoopbackCallers()
    {
        var routes = _api.Routes();
        var operatorRoutes = routes.Where(r => r.IsOperator).ToList();
        // Every route that changes something is an operator route (a new POST outside the group fails here).
        Assert.Equal(routes.Where(r => !r.Methods.All(m => m is "GET" or "HEAD")).Select(r => r.Pattern).Order(),
            operatorRoutes.Where(r => !r.Methods.All(m => m is "GET" or "HEAD")).Select(r => r.Pattern).Order());
        // The reads for operators only: the status page and webhook delivery status.
        Assert.Equal(["/api/webhooks", "/status"], operatorRoutes.Where(r => r.Methods.All(m => m is "GET" or "HEAD")).Select(r => r.Pattern).Order());
        Assert.True(operatorRoutes.Count >= 4, "refresh, split, backup and config reload are operator routes");

        var keyed = TestConfigs.For(_dir.File("k.db"), TestConfigs.Feed("wire", new Uri("https://wire.example/rss"))) with { Api = new ApiOptions("0123456789abcdef-operator") };
        using var keyedStore = StoryStore.Open(keyed.Storage.Path, _time);
        await using var keyedApi = await ApiHost.StartAsync(keyed, keyedStore, time: _time);
        foreach (var route in operatorRoutes)
        {
            var url = route.Pattern.Replace("{id}", "wire");
            var method = new HttpMethod(route.Methods.Single());
            Assert.Equal(HttpStatusCode.Unauthorized, (await keyedApi.Client.SendAsync(new HttpRequestMessage(method, url))).StatusCode);
            using var wrongKey = new HttpRequestMessage(method, url);
            wrongKey.Headers.Add("X-Api-Key", "0123456789abcdef-wrong");
            Assert.Equal(HttpStatusCode.Unauthorized, (await keyedApi.Client.SendAsync(wrongKey)).StatusCode);
            foreach (var (header, value) in new[] { ("X-Forwarded-For", "203.0.113.7"), ("Forwarded", "for=203.0.113.7"), ("X-Real-IP", "203.0.113.7") })
            {
                using var proxied = new HttpRequestMessage(method, url);
                proxied.Headers.TryAddWithoutValidation(header, value);
                var response = await _api.Client.SendAsync(proxied);
                Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{route.Pattern} with {header}: {response.StatusCode}");
            }
        }
        // A direct loopback caller still gets through when no key is configured (here: to a 404 for an unknown feed).
        Assert.Equal(HttpStatusCode.NotFound, (await _api.Client.PostAsync("/api/feeds/nope/refresh", null)).StatusCode);
        using var withKey = new HttpRequestMessage(HttpMethod.Post, "/api/feeds/nope/refresh");
        withKey.Headers.Add("X-Api-Key", "0123456789abcdef-operator");
        Assert.Equal(HttpStatusCode.NotFound, (await keyedApi.Client.SendAsync(withKey)).StatusCode);
    }

    [Fact]
    public async Task EveryRouteReadsTheOneInjectedClock()
    {
        var opml = System.Xml.Linq.XDocument.Parse(await _api.Client.GetStringAsync("/api/opml"));
        Assert.Equal("Mon, 02 Mar 2026 12:00:00 GMT", opml.Descendants("dateCreated").Single().Value);
        Assert.Contains("1 h ago", await _api.Client.GetStringAsync("/"));
        _time.Advance(TimeSpan.FromHours(2));
        Assert.Contains("3 h ago", await _api.Client.GetStringAsync("/"));
    }

    [Theory]
    [InlineData("/etc/cron.d/x")]
    [InlineData("/tmp/../etc/x.db")]
    [InlineData("../outside.db")]
    [InlineData("sub/x.db")]
    [InlineData("h.db")] // the live database itself
    [InlineData("h-log.db")] // its LiteDB log
    [InlineData("h.db.lock")]
    [InlineData("x.db.partial")]
    [InlineData("")]
    public async Task BackupsAreConfinedToTheBackupFolder(string path)
    {
        var response = await _api.Client.PostAsJsonAsync("/api/backup", new { path });
        await AssertProblem(response, HttpStatusCode.BadRequest, "path");
        Assert.False(File.Exists("/etc/cron.d/x") || File.Exists("/etc/x.db") || File.Exists(Path.Combine(Path.GetDirectoryName(_dir.Path)!, "outside.db")));
    }

    [Fact]
    public async Task ABackupInTheFolderSucceedsEvenOverALeftoverPartial()
    {
        File.WriteAllText(_dir.File("copy.db.partial"), "left by a crash");
        var response = await _api.Client.PostAsJsonAsync("/api/backup", new { path = "copy.db" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(_dir.File("copy.db"), (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("path").GetString());
        Assert.False(File.Exists(_dir.File("copy.db.partial")));
        var absolute = await _api.Client.PostAsJsonAsync("/api/backup", new { path = _dir.File("copy-2.db") });
        Assert.Equal(HttpStatusCode.OK, absolute.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await _api.Client.PostAsJsonAsync("/api/backup", new { path = "copy.db" })).StatusCode);
        Assert.Equal(["copy-2.db", "copy.db", "h.db", "h.db.lock"], Directory.GetFiles(_dir.Path).Select(Path.GetFileName).Where(f => !f!.EndsWith("-log.db")).Order());
    }

    private static async Task AssertProblem(HttpResponseMessage response, HttpStatusCode status, string parameter)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(parameter, problem.GetProperty("parameter").GetString());
    }

    /// <summary>A long body produced on demand (nothing held in memory).</summary>
    private sealed class RepeatingStream(byte value, long length) : Stream
    {
        private long _position;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long v) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            Array.Fill(buffer, value, offset, n);
            _position += n;
            return n;
        }
    }
}
