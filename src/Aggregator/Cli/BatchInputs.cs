namespace Aggregator.Cli;

/// <summary>One input of <c>parse</c>/<c>extract</c>: a file and the address and content type it came with.</summary>
internal sealed record BatchInput(string File, Uri? Url, string? ContentType);

internal static class BatchInputs
{
    /// <summary>FILE arguments with shared --url/--content-type, or the --batch list; null (after a message) on misuse.</summary>
    public static IReadOnlyList<BatchInput>? Resolve(string[] files, string? batch, string? url, string? contentType)
    {
        if ((batch is null) == (files.Length == 0))
        {
            Console.Error.WriteLine("usage: give either FILE arguments or --batch LIST");
            return null;
        }
        if (url is not null && !Uri.TryCreate(url, UriKind.Absolute, out _))
        {
            Console.Error.WriteLine($"usage: --url \"{url}\" is not an absolute URL");
            return null;
        }
        if (batch is null) return files.Select(f => new BatchInput(f, ToUri(url), contentType)).ToList();
        if (!File.Exists(batch))
        {
            Console.Error.WriteLine($"usage: --batch file not found: {batch}");
            return null;
        }
        try
        {
            return JsonLines.ReadBatch(batch).Select(e => new BatchInput(
                JsonLines.Get(e, "file") ?? throw new InvalidDataException($"{batch}: an entry has no \"file\""),
                ToUri(JsonLines.Get(e, "url")), JsonLines.Get(e, "contentType"))).ToList();
        }
        catch (InvalidDataException e)
        {
            Console.Error.WriteLine($"usage: {e.Message}");
            return null;
        }
    }

    private static Uri? ToUri(string? url) => Uri.TryCreate(url, UriKind.Absolute, out var u) ? u : null;
}
