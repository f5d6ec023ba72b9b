using Aggregator.Core.Configuration;

namespace Aggregator.Hosting;

/// <summary>
/// Where a backup may be written: a new file directly in <c>storage.backupDir</c> (default: the
/// database's folder), never elsewhere — POST /api/backup runs with the service's rights, and
/// <c>/etc/cron.d/x</c> or <c>/tmp/../etc/x.db</c> must not be writable through it — and never one of
/// the database's own files. The API and <c>aggregator backup</c> apply this one rule.
/// </summary>
internal static class BackupTarget
{
    /// <summary>The absolute path to write (a bare file name is taken in the backup folder), or why <paramref name="requested"/> is refused.</summary>
    public static (string? Path, string? Error) Resolve(string requested, StorageOptions storage)
    {
        var folder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(storage.BackupDir));
        if (string.IsNullOrWhiteSpace(requested) || requested.Any(char.IsControl))
            return (null, "a file name (or a path in storage.backupDir) without control characters is required");
        string full;
        try
        {
            full = Path.GetFullPath(requested, folder); // resolves "..": what is checked is where the file would really go
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return (null, $"\"{requested}\" is not a usable path: {e.Message}");
        }
        if (!string.Equals(Path.GetDirectoryName(full), folder, StringComparison.Ordinal))
            return (null, $"{full} is outside storage.backupDir ({folder}); backups are written only there, e.g. {Path.Combine(folder, "aggregator-backup.db")}");
        var database = Path.GetFullPath(storage.Path);
        string[] own = [database, database + ".lock", Path.ChangeExtension(database, null) + "-log" + Path.GetExtension(database)];
        if (own.Contains(full, StringComparer.Ordinal) || full.EndsWith(".partial", StringComparison.Ordinal))
            return (null, $"{full} is one of the database's own files (the database, its log, its lock, or a backup being written)");
        return (full, null);
    }
}
