using AngleSharp.Dom;
using AngleSharp.Text;

namespace Aggregator.Core.Extraction;

/// <summary>
/// The HTML parser accepts attribute names the DOM API refuses (amp-bind's <c>[class]</c>, Angular's
/// <c>(click)</c>, <c>@click</c>, stray quotes): copying one with <c>SetAttribute</c> throws
/// <c>DomException: Invalid character</c>. Every copy of a page's attributes goes through here and
/// skips such names; nothing readable lives in them.
/// </summary>
internal static class DomNames
{
    public static bool IsValid(string name) => name.Length > 0 && name.IsXmlName();

    public static void CopyAttributes(IElement from, IElement to, Func<string, bool>? only = null)
    {
        foreach (var attribute in from.Attributes)
        {
            if (!IsValid(attribute.Name) || (only is not null && !only(attribute.Name))) continue;
            to.SetAttribute(attribute.Name, attribute.Value);
        }
    }
}
