using System.Runtime.CompilerServices;
using System.Text;

namespace Aggregator.Core;

internal static class CodePages
{
    /// <summary>windows-1252 and the other legacy code pages are needed by parsing and extraction alike.</summary>
#pragma warning disable CA2255 // the library itself needs the provider before any decoding, whoever hosts it
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
}
