using System.CommandLine;
using Aggregator.Core.Configuration;
using Aggregator.Core.Extraction;

namespace Aggregator.Cli;

/// <summary><c>aggregator extract</c>: article pages to clean text and sanitised HTML, as JSON Lines.</summary>
internal static class ExtractCommand
{
    public static Command Create()
    {
        var url = new Option<string?>("--url") { Description = "The page's address (relative links, site rules); default: its canonical/og:url" };
        var batch = new Option<string?>("--batch") { Description = "JSON Lines list of {\"file\",\"url\"} to extract instead of FILE arguments" };
        var config = new Option<string?>("--config") { Description = "feeds.json whose site rules apply (matched by host)" };
        var files = new Argument<string[]>("FILE") { Arity = ArgumentArity.ZeroOrMore, Description = "HTML files to extract" };
        var command = new Command("extract", "Extract the article body from HTML pages and print it as JSON Lines.") { url, batch, config, files };
        command.SetAction(result =>
        {
            AggregatorConfig? rules = null;
            if (result.GetValue(config) is { } configPath)
            {
                try { rules = ConfigLoader.Load(configPath); }
                catch (ConfigException e)
                {
                    Console.Error.WriteLine(e.Message);
                    return CommandLine.UsageError;
                }
            }
            var inputs = BatchInputs.Resolve(result.GetValue(files)!, result.GetValue(batch), result.GetValue(url), null);
            return inputs is null ? CommandLine.UsageError : Run(inputs, rules);
        });
        return command;
    }

    private static int Run(IEnumerable<BatchInput> inputs, AggregatorConfig? config) =>
        BatchInputs.EmitJsonLines(inputs, input =>
        {
            var site = input.Url is null ? null : config?.SiteRulesFor(input.Url);
            var bytes = File.ReadAllBytes(input.File);
            ExtractedArticle article;
            try
            {
                article = ArticleExtractor.Extract(bytes, null, input.Url, site);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The extractor is meant never to throw; if a page still breaks it, that page gets an
                // error line and the batch goes on.
                throw new InvalidDataException($"extract: {e.GetType().Name}: {e.Message}", e);
            }
            return new ExtractLine(input.Url?.ToString() ?? article.CanonicalUrl, article.Title, article.Byline, article.Published,
                article.Language, article.Text, article.Html, article.ExtractedBy);
        }, "extract");
}

/// <summary>One page of <c>extract</c>'s JSON Lines output (after its "file").</summary>
internal sealed record ExtractLine(string? Url, string? Title, string? Byline, DateTimeOffset? Published, string? Language, string Text, string Html,
    string ExtractedBy);
