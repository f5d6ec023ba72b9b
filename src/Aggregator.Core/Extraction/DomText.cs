using AngleSharp.Dom;

namespace Aggregator.Core.Extraction;

/// <summary>
/// Measures of an element's text read from its text nodes in place, in document order, without
/// building <c>TextContent</c> (a string of the whole subtree: on big pages those land on the
/// large-object heap and cost gen-2 collections) and without an enumerator per call.
/// </summary>
internal static class DomText
{
    /// <summary>Whether the text holds anything but whitespace: <c>TextContent.Trim().Length &gt; 0</c>.</summary>
    public static bool HasText(INode node)
    {
        var children = node.ChildNodes;
        for (var i = 0; i < children.Length; i++)
        {
            var child = children[i];
            if (child is IText text)
            {
                foreach (var c in text.Data)
                    if (!char.IsWhiteSpace(c)) return true;
            }
            else if (child.HasChildNodes && HasText(child))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary><c>TextContent.Length</c>.</summary>
    public static int RawLength(INode node)
    {
        var length = 0;
        var children = node.ChildNodes;
        for (var i = 0; i < children.Length; i++)
        {
            var child = children[i];
            if (child is IText text) length += text.Data.Length;
            else if (child.HasChildNodes) length += RawLength(child);
        }
        return length;
    }

    /// <summary>How many characters of the text are not whitespace.</summary>
    public static int NonSpaceLength(INode node)
    {
        var length = 0;
        var children = node.ChildNodes;
        for (var i = 0; i < children.Length; i++)
        {
            var child = children[i];
            if (child is IText text)
            {
                foreach (var c in text.Data)
                    if (!char.IsWhiteSpace(c)) length++;
            }
            else if (child.HasChildNodes)
            {
                length += NonSpaceLength(child);
            }
        }
        return length;
    }

    /// <summary>
    /// Length of the text trimmed with whitespace runs counted as one character (Readability's
    /// normalised text) and its commas.
    /// </summary>
    public static (int Length, int Commas) Measure(INode node)
    {
        var state = new MeasureState();
        Measure(node, ref state);
        return (state.Length, state.Commas);
    }

    private struct MeasureState
    {
        public int Length, Commas;
        public bool Started, Pending;
    }

    private static void Measure(INode node, ref MeasureState state)
    {
        var children = node.ChildNodes;
        for (var i = 0; i < children.Length; i++)
        {
            var child = children[i];
            if (child is IText text)
            {
                foreach (var c in text.Data)
                {
                    if (char.IsWhiteSpace(c))
                    {
                        state.Pending = state.Started;
                        continue;
                    }
                    if (state.Pending) state.Length++;
                    state.Pending = false;
                    state.Started = true;
                    state.Length++;
                    if (c is '\u002C' or '\u060C' or '\uFE50' or '\uFE10' or '\uFE11' or '\u2E41' or '\u2E34' or '\u2E32' or '\uFF0C') state.Commas++;
                }
            }
            else if (child.HasChildNodes)
            {
                Measure(child, ref state);
            }
        }
    }
}
