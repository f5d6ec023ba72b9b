using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace Aggregator.Core.Parsing;

/// <summary>
/// Parses repaired feed XML safely (no DTD, no resolver, bounded entity expansion), and when it is
/// still not well-formed (truncated or mismatched tags, stray '&lt;'), rebalances the tags first,
/// as a browser would: unknown end tags are dropped, open elements closed, a tag cut off at the
/// end of the document is finished.
/// </summary>
public static partial class LooseXml
{
    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Ignore,
        XmlResolver = null,
        MaxCharactersFromEntities = 1024,
        CheckCharacters = false,
    };

    public static XDocument Parse(string xml)
    {
        try
        {
            return Load(xml);
        }
        catch (XmlException first)
        {
            try
            {
                return Load(Balance(xml));
            }
            catch (XmlException)
            {
                throw new FeedParseException($"parse: not well-formed XML: {first.Message}", first);
            }
        }
    }

    private static XDocument Load(string xml)
    {
        using var reader = XmlReader.Create(new StringReader(xml), Settings);
        return XDocument.Load(reader, LoadOptions.None);
    }

    /// <summary>Rebuilds the markup with every element closed in order.</summary>
    internal static string Balance(string xml)
    {
        var output = new StringBuilder(xml.Length + 64);
        var open = new Stack<string>();
        var at = 0;
        foreach (Match m in Token().Matches(xml))
        {
            AppendText(output, xml, at, m.Index);
            at = m.Index + m.Length;
            var name = m.Groups["name"].Value;
            if (name.Length == 0)
                output.Append(m.Value); // comment, CDATA, processing instruction
            else if (m.Groups["end"].Success)
                CloseTo(output, open, name);
            else
            {
                output.Append('<').Append(name).Append(m.Groups["attrs"].Value);
                if (m.Groups["self"].Success) output.Append("/>");
                else
                {
                    output.Append('>');
                    open.Push(name);
                }
            }
        }
        AppendText(output, xml, at, xml.Length);
        while (open.Count > 0) output.Append("</").Append(open.Pop()).Append('>');
        return output.ToString();
    }

    private static void CloseTo(StringBuilder output, Stack<string> open, string name)
    {
        if (!open.Contains(name)) return; // an end tag for nothing open is dropped
        while (open.Count > 0)
        {
            var top = open.Pop();
            output.Append("</").Append(top).Append('>');
            if (top == name) break;
        }
    }

    private static void AppendText(StringBuilder output, string xml, int from, int to)
    {
        for (var i = from; i < to; i++) output.Append(xml[i] == '<' ? "&lt;" : xml[i]);
    }

    [GeneratedRegex(@"<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<(?<end>/)?(?<name>[A-Za-z_][\w:.-]*)(?<attrs>(?:\s+[^<>/]+?(?:=(?:""[^""]*""|'[^']*'|[^\s<>]*))?)*)\s*(?<self>/)?(?:>|$)")]
    private static partial Regex Token();
}
