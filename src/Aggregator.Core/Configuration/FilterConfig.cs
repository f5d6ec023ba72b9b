using System.Text.Json;
using Aggregator.Core.Filtering;

namespace Aggregator.Core.Configuration;

/// <summary>
/// <c>filters</c> (top level and per feed): <c>{"block": [rules], "keep": [rules]}</c>. A rule is an
/// object naming one or more of <see cref="FilterField.All"/> with a phrase or a <c>/regex/flags</c>;
/// it matches when every field it names matches. Read by <see cref="FilterConfigReader"/>.
/// </summary>
public sealed record FilterRules(IReadOnlyList<FilterRule> Block, IReadOnlyList<FilterRule> Keep)
{
    public static FilterRules None { get; } = new([], []);

    public bool IsEmpty => Block.Count == 0 && Keep.Count == 0;
}

/// <summary>One block or keep rule; <see cref="Path"/> is where it was written (<c>$.filters.block[2]</c>), so a verdict can name it.</summary>
public sealed record FilterRule(string Path, IReadOnlyList<FieldCondition> Conditions);

/// <summary>One field of a rule and what it must match.</summary>
public sealed record FieldCondition(string Field, TextMatcher Matcher);

/// <summary>Reads and validates <c>filters</c> objects: every problem named by its JSON path.</summary>
internal static class FilterConfigReader
{
    public static FilterRules Read(JsonObjectReader? o, List<ConfigError> errors)
    {
        if (o is null) return FilterRules.None;
        var rules = new FilterRules(Rules(o, "block", errors), Rules(o, "keep", errors));
        o.RejectUnknown();
        return rules;
    }

    private static List<FilterRule> Rules(JsonObjectReader o, string list, List<ConfigError> errors)
    {
        var rules = new List<FilterRule>();
        foreach (var (element, path) in o.Array(list))
        {
            var rule = JsonObjectReader.Open(element, path, errors);
            if (rule is null) continue;
            var conditions = new List<FieldCondition>();
            foreach (var field in FilterField.All)
                if (rule.String(field) is { } pattern && Compile(pattern, $"{path}.{field}", errors) is { } matcher)
                    conditions.Add(new FieldCondition(field, matcher));
            rule.RejectUnknown();
            if (!element.EnumerateObject().Any(p => FilterField.All.Contains(p.Name)))
                errors.Add(new ConfigError(path, $"a rule names at least one of {string.Join(", ", FilterField.All)}"));
            else if (conditions.Count > 0) rules.Add(new FilterRule(path, conditions));
        }
        return rules;
    }

    private static TextMatcher? Compile(string pattern, string path, List<ConfigError> errors)
    {
        try
        {
            return TextMatcher.Parse(pattern);
        }
        catch (ArgumentException e)
        {
            errors.Add(new ConfigError(path, e.Message));
            return null;
        }
    }
}
