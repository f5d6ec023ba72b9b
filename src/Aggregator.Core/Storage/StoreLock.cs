namespace Aggregator.Core.Storage;

/// <summary>Another process holds the database; LiteDB would silently lose writes if both opened it (LiteDB #2163).</summary>
public sealed class StoreLockedException(string path, string? holder)
    : Exception($"storage: {path} is in use by another Aggregator process{(holder is null ? "" : $" ({holder})")}; " +
                "stop it first, or use its HTTP API (e.g. POST /api/feeds/{id}/refresh) instead of a second process");

/// <summary>An exclusive lock file beside the database (flock on Linux via FileShare.None), held for the store's life.</summary>
internal sealed class StoreLock : IDisposable
{
    private readonly FileStream _stream;

    private StoreLock(FileStream stream) => _stream = stream;

    public static StoreLock Acquire(string databasePath)
    {
        var path = databasePath + ".lock";
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException && File.Exists(path)) // held, not uncreatable
        {
            string? holder = null;
            try { holder = File.ReadAllText(path).Trim(); } catch (IOException) { }
            throw new StoreLockedException(databasePath, string.IsNullOrEmpty(holder) ? null : holder);
        }
        stream.SetLength(0);
        var text = System.Text.Encoding.UTF8.GetBytes($"pid {Environment.ProcessId}, {Environment.CommandLine}");
        stream.Write(text);
        stream.Flush();
        return new StoreLock(stream);
    }

    public void Dispose() => _stream.Dispose();
}
