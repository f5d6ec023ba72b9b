using AngleSharp.Dom;
using Aggregator.Core.Configuration;

namespace Aggregator.Core.Extraction;

/// <summary>Removes what is never story text: scripts, forms, navigation, and blocks whose class or id name chrome.</summary>
internal static class NoiseRemover
{
    private const string AlwaysNoise =
        "script, style, noscript, template, iframe, object, embed, form, button, input, select, textarea, svg, canvas, " +
        "nav, aside, footer, [role=navigation], [role=complementary], [role=contentinfo], [aria-hidden=true], [hidden]";

    /// <summary>Before content detection: what is never text, and what the site's rules strip.</summary>
    public static void Remove(IElement scope, SiteRules rules)
    {
        foreach (var element in scope.QuerySelectorAll(AlwaysNoise).ToList()) element.Remove();
        foreach (var selector in rules.Strip)
            foreach (var element in scope.QuerySelectorAll(selector).ToList()) element.Remove();
    }

    /// <summary>After content detection, inside the chosen content: blocks whose class or id name chrome (share bars, related links…).</summary>
    public static void RemoveChrome(IElement container)
    {
        foreach (var element in container.QuerySelectorAll("[class], [id]").ToList())
            if (IsChrome(element) && element.IsDescendantOf(container)) element.Remove();
    }

    /// <summary>Class/id hints of chrome; an element that holds long paragraphs is spared (themes misname wrappers).</summary>
    private static bool IsChrome(IElement element)
    {
        // Inline elements are part of the sentence they sit in (annotated links, highlighted words).
        if (element.LocalName is "body" or "html" or "article" or "main" or "a" or "span" or "em" or "strong" or "b" or "i" or "u" or "abbr" or "cite" or "code" or "mark" or "small" or "sub" or "sup" or "time" or "q") return false;
        var names = ChromeNames.Of(element);
        if (!ChromeNames.Chrome.IsMatch(names) || ChromeNames.Body.IsMatch(names)) return false;
        return !element.QuerySelectorAll("p").Any(p => p.TextContent.Length > 400);
    }
}

internal static class ElementExtensions
{
    public static bool IsConnected(this INode node)
    {
        for (var n = node; n is not null; n = n.Parent)
            if (n is IDocument) return true;
        return false;
    }
}
