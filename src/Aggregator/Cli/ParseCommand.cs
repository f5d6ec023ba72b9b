using System.CommandLine;
using Aggregator.Core.Parsing;

namespace Aggregator.Cli;

/// <summary><c>aggregator parse</c>: feed files to normalised JSON Lines, one per file, in input order.</summary>
internal static class ParseCommand
{
    public static Command Create()
    {
        var url = new Option<string?>("--url") { Description = "The document's address (base for relative links)" };
        var contentType = new Option<string?>("--content-type") { Description = "The HTTP Content-Type it was served with (charset)" };
        var batch = new Option<string?>("--batch") { Description = "JSON Lines list of {\"file\",\"url\",\"contentType\",\"headers\"} to parse instead of FILE arguments" };
        var files = new Argument<string[]>("FILE") { Arity = ArgumentArity.ZeroOrMore, Description = "Feed files to parse" };
        var command = new Command("parse", "Parse feed files and print the normalised feed as JSON Lines.") { url, contentType, batch, files };
        command.SetAction(result =>
        {
            var inputs = BatchInputs.Resolve(result.GetValue(files)!, result.GetValue(batch), result.GetValue(url), result.GetValue(contentType));
            return inputs is null ? CommandLine.UsageError : Run(inputs);
        });
        return command;
    }

    private static int Run(IEnumerable<BatchInput> inputs) =>
        BatchInputs.EmitJsonLines(inputs, input => FeedParser.Parse(File.ReadAllBytes(input.File), input.ContentType, input.Url, input.ContentLanguage), "parse");
}
