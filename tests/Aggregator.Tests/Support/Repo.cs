namespace Aggregator.Tests.Support;

/// <summary>Paths in the repository and in ../shared, found from the test binaries.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    /// <summary>A copy of ../shared/fixtures/seed (the page the project started from), so tests need nothing outside the repository.</summary>
    public static string Seed(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "seed", name);

    public static string TestData(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", name);

    /// <summary>The built CLI, run as <c>dotnet aggregator.dll</c> (copied beside the tests by the project reference).</summary>
    public static string CliDll => Path.Combine(AppContext.BaseDirectory, "aggregator.dll");

    private static string FindRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "Aggregator.sln"))) dir = Path.GetDirectoryName(dir);
        return dir ?? throw new InvalidOperationException("Aggregator.sln not found above " + AppContext.BaseDirectory);
    }
}
