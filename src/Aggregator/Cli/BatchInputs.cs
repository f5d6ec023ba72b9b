namespace Aggregator.Cli;

/// <summary>One input of <c>parse</c>/<c>extract</c>: a file and the address and content type it came with.</summary>
/// <summary>One input file with its HTTP context: address (or Content-Location), Content-Type, Content-Language.</summary>
internal sealed record BatchInput(string File, Uri? Url, string? ContentType, string? ContentLanguage = null);

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
                DocumentBase(ToUri(JsonLines.Get(e, "url")), Header(e, "Content-Location")),
                JsonLines.Get(e, "contentType") ?? Header(e, "Content-Type"),
                JsonLines.Get(e, "contentLanguage") ?? Header(e, "Content-Language"))).ToList();
        }
        catch (InvalidDataException e)
        {
            Console.Error.WriteLine($"usage: {e.Message}");
            return null;
        }
    }

    /// <summary>
    /// Prints one JSON line per input, in order: the produced object, or <c>{"file","error"}</c> when
    /// the input fails in an expected way (the rest go on). Exit 1 if any failed.
    /// </summary>
    public static int EmitJsonLines(IEnumerable<BatchInput> inputs, Func<BatchInput, object> produce, string stage)
    {
        var failed = false;
        foreach (var input in inputs)
        {
            string line;
            try
            {
                line = JsonLines.Line(input.File, produce(input));
            }
            catch (Exception e) when (e is Core.Parsing.FeedParseException or IOException or UnauthorizedAccessException or InvalidDataException)
            {
                failed = true;
                line = JsonLines.Error(input.File, e.Message.StartsWith(stage + ":", StringComparison.Ordinal) ? e.Message : $"{stage}: {e.Message}");
            }
            Console.Out.WriteLine(line);
        }
        return failed ? CommandLine.SomeFailed : CommandLine.Success;
    }

    /// <summary>RFC 9110 §8.7: a Content-Location header is the base for relative references in the body.</summary>
    private static Uri? DocumentBase(Uri? url, string? contentLocation)
    {
        if (contentLocation is null) return url;
        var resolved = url is not null && Uri.TryCreate(url, contentLocation, out var r) ? r : ToUri(contentLocation);
        return resolved is not null && (resolved.Scheme == Uri.UriSchemeHttp || resolved.Scheme == Uri.UriSchemeHttps) ? resolved : url;
    }

    private static string? Header(System.Text.Json.Nodes.JsonObject entry, string name) =>
        entry["headers"] is System.Text.Json.Nodes.JsonObject headers
            ? headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value?.GetValue<string>()
            : null;

    private static Uri? ToUri(string? url) => Uri.TryCreate(url, UriKind.Absolute, out var u) ? u : null;
}
