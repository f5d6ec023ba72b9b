using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Aggregator.Tests.Support;

/// <summary>Runs the real <c>aggregator</c> CLI as a separate process.</summary>
public static class CliProcess
{
    /// <param name="native">A native-AOT build of the CLI to run instead of <c>dotnet aggregator.dll</c>.</param>
    public static async Task<(int Exit, string Stdout, string Stderr)> Run(string[] args, TimeSpan? timeout = null, string? native = null)
    {
        var start = Start(native);
        start.RedirectStandardOutput = start.RedirectStandardError = true;
        start.UseShellExecute = false;
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"aggregator {string.Join(' ', args)} did not finish");
        }
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts <c>aggregator serve</c> as a process on 127.0.0.1:<paramref name="port"/> (its output drained, not kept).</summary>
    public static Process StartServe(string config, int port, string? native = null)
    {
        var start = Start(native);
        foreach (var a in new[] { "serve", "--config", config, "--urls", $"http://127.0.0.1:{port}" }) start.ArgumentList.Add(a);
        start.RedirectStandardOutput = start.RedirectStandardError = true;
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static ProcessStartInfo Start(string? native)
    {
        if (native is not null) return new ProcessStartInfo(native);
        var start = new ProcessStartInfo("dotnet");
        start.ArgumentList.Add(Repo.CliDll);
        return start;
    }

    /// <summary>Waits until <paramref name="service"/> answers /health with 200; fails if it exits or takes 15 s.</summary>
    public static async Task WaitHealthy(HttpClient http, Process service)
    {
        for (var i = 0; i < 300; i++)
        {
            if (service.HasExited) Assert.Fail($"serve exited with {service.ExitCode} at start");
            try
            {
                if ((await http.GetAsync("/health")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(50);
        }
        Assert.Fail("serve did not become healthy within 15 s");
    }

    /// <summary>A loopback port free at the moment of asking.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
