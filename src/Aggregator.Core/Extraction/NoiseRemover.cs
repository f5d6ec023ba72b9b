using System.Text.RegularExpressions;
using AngleSharp.Css.Dom;
using AngleSharp.Css.Parser;
using AngleSharp.Dom;
using Aggregator.Core.Configuration;

namespace Aggregator.Core.Extraction;

/// <summary>Removes what is never story text: scripts, forms, navigation, and blocks whose class or id name chrome.</summary>
internal static partial class NoiseRemover
{
    private const string AlwaysNoise =
        "script, style, noscript, template, iframe, object, embed, button, input, select, textarea, svg, canvas, rt, rp, " +
        "nav, aside, footer, [role=navigation], [role=complementary], [role=contentinfo], [aria-hidden=true], [hidden]";

    /// <summary>A form holding the headline, an article or this much paragraph text is the page's layout (ASP.NET wraps whole pages in one), not a form.</summary>
    private const int LayoutFormText = 500;

    /// <summary>Before content detection: what is never text, and what the site's rules strip.</summary>
    public static void Remove(IElement scope, SiteRules rules)
    {
        UnwrapTemplateScripts(scope);
        foreach (var form in scope.QuerySelectorAll("form").ToList())
            if (form.QuerySelector("h1, article, main") is null && form.QuerySelectorAll("p").Sum(DomText.RawLength) < LayoutFormText) form.Remove();
        // One walk for the three kinds (removing a node inside one already removed changes nothing).
        foreach (var element in scope.QuerySelectorAll("*").ToList())
            if (Noise.Match(element, scope) || IsHidden(element)) element.Remove();
        foreach (var selector in rules.Strip)
            foreach (var element in scope.QuerySelectorAll(selector).ToList()) element.Remove();
        Captions.Remove(scope);
    }

    private static readonly ISelector Noise = new CssSelectorParser().ParseSelector(AlwaysNoise)!;

    /// <summary>Hidden by an inline style or a utility class.</summary>
    private static bool IsHidden(IElement element)
    {
        if (element.GetAttribute("style") is { } style && HiddenStyle().IsMatch(style) && !(element.ClassName?.Contains("fallback-image", StringComparison.Ordinal) ?? false)) return true;
        return element.ClassName is { } names && element.LocalName is not ("body" or "html") && HiddenClass().IsMatch(names);
    }

    /// <summary>
    /// Client-side templates (<c>&lt;script type="text/template"&gt;</c>, as Blogger serves posts) carry the
    /// article as markup the browser would render; with scripting off it is parsed in place.
    /// </summary>
    private static void UnwrapTemplateScripts(IElement scope)
    {
        foreach (var script in scope.QuerySelectorAll("script[type='text/template'], script[type='text/html'], script[type='text/x-template']").ToList())
        {
            var markup = script.TextContent;
            if (!markup.Contains("<p", StringComparison.OrdinalIgnoreCase) || script.Owner is not { } owner || script.Parent is null) continue;
            var fragment = owner.CreateElement("div");
            fragment.InnerHtml = markup;
            script.Replace(fragment);
        }
    }

    /// <summary>After content detection, inside the chosen content: blocks whose class or id name chrome (share bars, related links…).</summary>
    public static void RemoveChrome(IElement container)
    {
        var total = -1;
        foreach (var element in container.QuerySelectorAll("[class], [id]").ToList())
        {
            if (!IsChrome(element) || !element.IsDescendantOf(container)) continue;
            if (total < 0) total = TextLength(container);
            if (IsWrapper(element, total)) continue;
            element.Remove();
        }
    }

    /// <summary>
    /// Page builders name every block a "widget" and themes mark truncated bodies "read-more": a
    /// chrome-named element holding most of the chosen body's text is the body's wrapper (never a comment thread).
    /// </summary>
    private static bool IsWrapper(IElement element, int total) =>
        total >= MinWrappedText && TextLength(element) * 2 > total && !CommentName().IsMatch(ChromeNames.Of(element));

    private const int MinWrappedText = 500;

    private static int TextLength(IElement element) => DomText.NonSpaceLength(element);

    [GeneratedRegex("comment|disqus|respond|repl(y|ies)", RegexOptions.IgnoreCase)]
    private static partial Regex CommentName();

    /// <summary>Class/id hints of chrome; an element that holds long paragraphs is spared (themes misname wrappers).</summary>
    private static bool IsChrome(IElement element)
    {
        // Inline elements are part of the sentence they sit in (annotated links, highlighted words).
        if (element.LocalName is "body" or "html" or "article" or "main" or "a" or "span" or "em" or "strong" or "b" or "i" or "u" or "abbr" or "cite" or "code" or "mark" or "small" or "sub" or "sup" or "time" or "q") return false;
        var names = ChromeNames.Of(element);
        if (!ChromeNames.Chrome.IsMatch(names) || ChromeNames.Body.IsMatch(names)) return false;
        return !element.QuerySelectorAll("p").Any(p => DomText.RawLength(p) > 400);
    }

    [GeneratedRegex(@"display\s*:\s*none|visibility\s*:\s*hidden", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenStyle();

    /// <summary>Utility classes that hide an element from every reader (CSS frameworks' hidden, d-none, screen-reader-only text).</summary>
    [GeneratedRegex(@"(^|\s)(hidden|hide|d-none|is-hidden|u-hidden|visually-hidden|visuallyhidden|sr-only|screen-reader-text|hidecompletely|invisible)(\s|$)", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenClass();
}

