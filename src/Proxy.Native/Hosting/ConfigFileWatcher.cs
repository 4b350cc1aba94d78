
namespace MeshEdge.Native.Hosting;

/// <summary>
/// Watches the config file by polling its size, mtime and, when those move, its content hash (so an
/// editor's rename-over, a ConfigMap symlink swap and a touch without change all behave). A change
/// is applied once the file has stayed the same for the debounce, so a half-written file is not
/// read; a refused one is not retried until the file changes again.
/// </summary>
internal sealed class ConfigFileWatcher : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(300);

    private readonly string _path;
    private readonly Func<string?> _reload;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private string? _lastVersion;

    private ConfigFileWatcher(string path, Func<string?> reload)
    {
        _path = path;
        _reload = reload;
        _lastVersion = VersionOf(path);
        _thread = new Thread(Run) { Name = "meshedge-config-watch", IsBackground = true };
    }

    public static ConfigFileWatcher Start(string path, Func<string?> reload)
    {
        var watcher = new ConfigFileWatcher(path, reload);
        watcher._thread.Start();
        return watcher;
    }

    /// <summary>
    /// A file's version: its 64-bit FNV-1a hash as 12 hex digits; null when it cannot be read. Not
    /// SHA-256: .NET's hashes load libcrypto, which the static binary cannot, and telling one
    /// version of a file from the next needs no cryptographic strength.
    /// </summary>
    public static string? VersionOf(string path)
    {
        try
        {
            var hash = 14695981039346656037UL;
            foreach (var b in File.ReadAllBytes(path))
            {
                hash = (hash ^ b) * 1099511628211UL;
            }

            return hash.ToString("x16", System.Globalization.CultureInfo.InvariantCulture)[..12];
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private void Run()
    {
        var stamp = Stamp();
        while (!_stop.Token.WaitHandle.WaitOne(PollInterval))
        {
            var now = Stamp();
            if (now == stamp)
            {
                continue;
            }

            // Settle: apply only once the file has stopped changing.
            while (!_stop.Token.WaitHandle.WaitOne(Debounce) && Stamp() != now)
            {
                now = Stamp();
            }

            stamp = now;
            var version = VersionOf(_path);
            if (version is null || version == _lastVersion)
            {
                continue;
            }

            _lastVersion = version;
            try
            {
                _reload();
            }
            catch (Exception ex)
            {
                Log.Error("config watch: reload failed", ("error", ex.Message));
            }
        }
    }

    /// <summary>Size and mtime, following symlinks (a ConfigMap swaps the link's target).</summary>
    private (long Length, DateTime Modified) Stamp()
    {
        try
        {
            var info = new FileInfo(_path);
            var target = info.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? info;
            return target.Exists ? (target.Length, target.LastWriteTimeUtc) : (-1, default);
        }
        catch (IOException)
        {
            return (-1, default);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        _stop.Dispose();
    }
}
