namespace Aggregator.Core.Configuration;

/// <summary>One problem in <c>feeds.json</c>, located by its JSON path.</summary>
public sealed record ConfigError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}

/// <summary>Thrown when <c>feeds.json</c> cannot be used; carries every problem found.</summary>
public sealed class ConfigException(string file, IReadOnlyList<ConfigError> errors)
    : Exception($"config: {file} has {errors.Count} problem(s):{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", errors))
{
    public string File { get; } = file;
    public IReadOnlyList<ConfigError> Errors { get; } = errors;
}
