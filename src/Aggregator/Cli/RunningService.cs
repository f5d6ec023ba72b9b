using System.CommandLine;
using System.Text.Json.Nodes;
using Aggregator.Core.Configuration;

namespace Aggregator.Cli;

/// <summary>
/// Operator commands that change a database which <c>serve</c> holds go through the running
/// process's API instead (a second process never opens the file): base address <c>--server</c>,
/// else <c>output.publicUrl</c>; the configured API key is sent as <c>X-Api-Key</c>.
/// </summary>
internal sealed class RunningService(Uri server, string? apiKey) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = server, Timeout = TimeSpan.FromMinutes(10) };

    public Uri Server => server;

    public static RunningService For(AggregatorConfig config, string? server) =>
        new(server is null ? config.Output.PublicUrl : new Uri(server), config.Api.Key);

    /// <summary>POSTs <paramref name="body"/> as JSON; returns the status and the response text.</summary>
    public async Task<(int Status, string Body)> PostAsync(string path, JsonObject body, CancellationToken cancel)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json") };
        if (apiKey is not null) request.Headers.Add("X-Api-Key", apiKey);
        using var response = await _http.SendAsync(request, cancel);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancel));
    }

    /// <summary>GETs <paramref name="path"/>; returns the status and the response text.</summary>
    public async Task<(int Status, string Body)> GetAsync(string path, CancellationToken cancel)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (apiKey is not null) request.Headers.Add("X-Api-Key", apiKey);
        using var response = await _http.SendAsync(request, cancel);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancel));
    }

    /// <summary>
    /// Runs an operator command through the service: prints the answer on success (exit 0); on an
    /// error status prints it (exit 2 when refused for lack of a key, else 1); when nothing answers, exit 2.
    /// </summary>
    public async Task<int> RunAsync(string command, string path, JsonObject body, CancellationToken cancel)
    {
        try
        {
            var (status, answer) = await PostAsync(path, body, cancel);
            if (status == 200)
            {
                Console.WriteLine(answer);
                return CommandLine.Success;
            }
            Console.Error.WriteLine($"{command}: the service answered {status}: {answer}");
            return status is 401 or 403 ? CommandLine.UsageError : CommandLine.SomeFailed;
        }
        catch (HttpRequestException e)
        {
            Console.Error.WriteLine($"{command}: the database is locked and no service answers at {server} ({e.Message}); pass --server");
            return CommandLine.UsageError;
        }
    }

    public void Dispose() => _http.Dispose();

    public static Option<string?> ServerOption() => new("--server")
    {
        Description = "Base URL of the running 'aggregator serve' to ask when it holds the database (default: output.publicUrl)",
    };
}
