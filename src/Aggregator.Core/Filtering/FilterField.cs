namespace Aggregator.Core.Filtering;

/// <summary>The fields a filter rule may test.</summary>
public static class FilterField
{
    public const string Title = "title";
    public const string Text = "text";
    public const string Url = "url";
    public const string Author = "author";
    public const string Category = "category";

    public static readonly IReadOnlyList<string> All = [Title, Text, Url, Author, Category];
}
