using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Aggregator.Tests.Support;

namespace Aggregator.Tests.Cluster;

/// <summary>One <c>aggregator serve</c> process of the built binary: its node id, port and output.</summary>
internal sealed class ClusterNode : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    public string Id { get; }

    public HttpClient Http { get; }

    private ClusterNode(string id, string config, int port)
    {
        Id = id;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(20) };
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Repo.CliDll, "serve", "--config", config, "--urls", $"http://127.0.0.1:{port}" },
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.Environment["AGGREGATOR_NODE_ID"] = id;
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue("stderr: " + e.Data); };
    }

    public static ClusterNode Start(string id, string config)
    {
        var node = new ClusterNode(id, config, CliProcess.FreePort());
        node._process.Start();
        node._process.BeginOutputReadLine();
        node._process.BeginErrorReadLine();
        return node;
    }

    public bool HasExited => _process.HasExited;

    public IReadOnlyList<string> Output => _output.ToArray();

    /// <summary>The last lines it printed, for a failure message.</summary>
    public string Tail(int lines = 25) => $"--- node {Id}:\n" + string.Join('\n', _output.TakeLast(lines));

    public async Task WaitHealthyAsync(TimeSpan within)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < within)
        {
            if (_process.HasExited) Assert.Fail($"node {Id} exited with {_process.ExitCode} at start\n{Tail()}");
            try
            {
                if ((await Http.GetAsync("/health")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        Assert.Fail($"node {Id} did not become healthy within {within}\n{Tail()}");
    }

    /// <summary>SIGKILL: the node dies mid-whatever, as in a crash.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM: a clean stop (running polls are interrupted); waits for the exit.</summary>
    public async Task StopAsync(TimeSpan within)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
            Assert.Equal(0, kill.ExitCode);
        }
        using var cancel = new CancellationTokenSource(within);
        await _process.WaitForExitAsync(cancel.Token);
    }

    public void Dispose()
    {
        // AGGREGATOR_CLUSTER_LOGS=DIR keeps every node's whole output there (one file per start), for a failure's post-mortem.
        if (Environment.GetEnvironmentVariable("AGGREGATOR_CLUSTER_LOGS") is { Length: > 0 } logs)
            File.WriteAllLines(Path.Combine(logs, $"node-{Id}-{_process.Id}.log"), _output);
        Http.Dispose();
        if (!_process.HasExited) _process.Kill();
        _process.Dispose();
    }
}
