using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Aggregator.Core.Parsing;

/// <summary>
/// SVG and MathML inside content, written the way HTML5 serialises foreign elements: unprefixed names,
/// the vocabulary's namespace as the default on its outermost element (<c>&lt;svg xmlns="…svg"&gt;</c>,
/// not <c>&lt;svg:svg&gt;</c> relying on a declaration higher up in the feed), and every element that
/// carries <c>xlink:</c> attributes declaring xlink itself, so the fragment stands alone.
/// </summary>
internal static partial class ForeignMarkup
{
    private const string Svg = "http://www.w3.org/2000/svg";
    private const string MathMl = "http://www.w3.org/1998/Math/MathML";
    private static readonly XNamespace XLink = "http://www.w3.org/1999/xlink";

    /// <summary>Whether serialised markup contains foreign elements (then <see cref="Serialise"/> applies).</summary>
    public static bool Mentions(string markup) =>
        markup.Contains(Svg, StringComparison.Ordinal) || markup.Contains(MathMl, StringComparison.Ordinal);

    /// <summary>Serialises a node standalone: foreign elements unprefixed, xlink declared where used.</summary>
    public static string Serialise(XNode node)
    {
        if (node is not XElement element) return node.ToString(SaveOptions.DisableFormatting);
        var copy = new XElement(element);
        foreach (var e in copy.DescendantsAndSelf())
        {
            e.Attributes().Where(a => a.IsNamespaceDeclaration && a.Value is Svg or MathMl).Remove();
            if (e.Attributes().Any(a => a.Name.Namespace == XLink) && e.Attribute(XNamespace.Xmlns + "xlink") is null)
                e.SetAttributeValue(XNamespace.Xmlns + "xlink", XLink.NamespaceName);
        }
        return copy.ToString(SaveOptions.DisableFormatting);
    }

    /// <summary>The same rule for HTML text: a start tag with xlink: attributes and no xlink declaration gets one.</summary>
    public static string DeclareXlink(string html)
    {
        if (!html.Contains("xlink:", StringComparison.Ordinal)) return html;
        return XlinkTag().Replace(html, m => m.Value.Contains("xmlns:xlink", StringComparison.Ordinal)
            ? m.Value
            : m.Groups["open"].Value + " xmlns:xlink=\"http://www.w3.org/1999/xlink\"" + m.Groups["close"].Value);
    }

    [GeneratedRegex(@"(?<open><[A-Za-z][\w:.-]*(?:\s+[^<>]*?)?\sxlink:[^<>]*?)(?<close>\s*/?>)")]
    private static partial Regex XlinkTag();
}
