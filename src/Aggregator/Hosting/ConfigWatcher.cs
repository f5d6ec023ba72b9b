using System.Runtime.InteropServices;
using Aggregator.Scheduling;

namespace Aggregator.Hosting;

/// <summary>
/// Reloads <c>feeds.json</c> when the file changes (editors save by rewrite or rename; changes are
/// debounced) and on SIGHUP, the usual "reload your configuration" signal.
/// </summary>
public sealed class ConfigWatcher(ConfigReloader reloader, ILogger<ConfigWatcher> logger) : IHostedService, IDisposable
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(400);
    private FileSystemWatcher? _watcher;
    private PosixSignalRegistration? _hangup;
    private Timer? _timer;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(reloader.Path);
        _timer = new Timer(_ => _ = ReloadAsync(), null, Timeout.Infinite, Timeout.Infinite);
        _watcher = new FileSystemWatcher(Path.GetDirectoryName(full)!, Path.GetFileName(full))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        _watcher.Changed += (_, _) => Schedule();
        _watcher.Created += (_, _) => Schedule();
        _watcher.Renamed += (_, _) => Schedule();
        _watcher.EnableRaisingEvents = true;
        if (!OperatingSystem.IsWindows())
            _hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
            {
                context.Cancel = true;
                logger.LogInformation("SIGHUP: reloading {Path}", full);
                Schedule();
            });
        return Task.CompletedTask;
    }

    private void Schedule() => _timer?.Change(Debounce, Timeout.InfiniteTimeSpan);

    private async Task ReloadAsync()
    {
        try
        {
            await reloader.ReloadAsync();
        }
        catch (Exception e)
        {
            logger.LogError(e, "Config reload failed");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        _watcher = null;
        _hangup?.Dispose();
        _hangup = null;
        _timer?.Dispose();
        _timer = null;
    }
}
