using System.Diagnostics;

namespace Aggregator.Tests.Support;

/// <summary>
/// A real, small filesystem (a tmpfs of a few MiB) to fill up: disk-full behaviour tested against the
/// kernel, not a fake stream. Mounting needs root (CI runs as root); elsewhere the test is skipped
/// with the reason.
/// </summary>
public sealed class SmallDisk : IDisposable
{
    private readonly TempDirectory _dir = new();

    public string Root => _dir.Path;

    private SmallDisk() { }

    public static SmallDisk Mount(int megabytes)
    {
        var disk = new SmallDisk();
        var (exit, error) = Run("mount", $"-t tmpfs -o size={megabytes}m aggregator-test {disk.Root}");
        if (exit != 0)
        {
            disk._dir.Dispose();
            Skip.If(true, $"cannot mount a tmpfs here (needs root): {error.Trim()}");
        }
        return disk;
    }

    public string File(string name) => System.IO.Path.Combine(Root, name);

    /// <summary>Fills the disk with a file, leaving about <paramref name="leaveBytes"/> free.</summary>
    public string Fill(long leaveBytes)
    {
        var path = File("filler");
        var free = new DriveInfo(Root).AvailableFreeSpace;
        using var stream = new FileStream(path, FileMode.Create);
        stream.SetLength(0);
        var chunk = new byte[64 * 1024];
        Random.Shared.NextBytes(chunk);
        for (long left = free - leaveBytes; left > 0; left -= chunk.Length)
            stream.Write(chunk, 0, (int)Math.Min(chunk.Length, left));
        return path;
    }

    public void Dispose()
    {
        Run("umount", $"-l {Root}");
        _dir.Dispose();
    }

    private static (int Exit, string Error) Run(string file, string arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, error);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}
