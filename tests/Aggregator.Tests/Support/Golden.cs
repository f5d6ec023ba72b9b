using System.Runtime.CompilerServices;

namespace Aggregator.Tests.Support;

/// <summary>
/// Golden files under TestData/golden. <c>AGGREGATOR_UPDATE_GOLDEN=1 dotnet test</c> rewrites them in the
/// source tree; review the diff before committing.
/// </summary>
public static class Golden
{
    public static void Assert(string name, string actual, [CallerFilePath] string caller = "")
    {
        actual = actual.Replace("\r\n", "\n");
        var path = Path.Combine(ProjectDirectory(caller), "TestData", "golden", name);
        if (Environment.GetEnvironmentVariable("AGGREGATOR_UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            return;
        }
        Xunit.Assert.True(File.Exists(path), $"golden file {path} is missing; run with AGGREGATOR_UPDATE_GOLDEN=1 to create it");
        var expected = File.ReadAllText(path).Replace("\r\n", "\n");
        if (expected == actual) return;
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        var line = Enumerable.Range(0, Math.Min(e.Length, a.Length)).FirstOrDefault(i => e[i] != a[i], Math.Min(e.Length, a.Length));
        Xunit.Assert.Fail($"{name} differs from its golden file at line {line + 1}:\n  expected: {(line < e.Length ? e[line] : "<end>")}\n  actual:   {(line < a.Length ? a[line] : "<end>")}");
    }

    private static string ProjectDirectory(string caller)
    {
        var dir = Path.GetDirectoryName(caller);
        while (dir is not null && !File.Exists(Path.Combine(dir, "Aggregator.Tests.csproj"))) dir = Path.GetDirectoryName(dir);
        return dir ?? throw new InvalidOperationException("test project directory not found");
    }
}
