using MeshEdge.Native.Hosting;

namespace MeshEdge.Native.Tls;

/// <summary>
/// Reloads secrets whose files change (secrets without a file are skipped), on a thread of its own ("meshedge-secrets"), by polling each
/// file's modification time and size. A change is taken once both files have kept the same stamps
/// for a whole poll (so a half-written file, or a certificate whose key has not followed yet, is not
/// loaded), and only if their bytes differ from those in use. Every listener serving the secret gets
/// a whole new context generation, swapped in for new handshakes; open connections keep theirs. If
/// any listener's fails to load, none is swapped: the old material stays and the reason is recorded.
/// </summary>
internal sealed class TlsSecretWatcher : IDisposable
{
    /// <summary>How often files are looked at; a change settles for one more poll before it is loaded.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    private readonly TlsSecretRegistry _registry;
    private readonly Action<Action> _afterWorkersPass;
    private readonly ManualResetEventSlim _stop = new();
    private readonly Thread _thread;

    /// <param name="afterWorkersPass">Runs an action once every worker has finished what it was doing (a command posted to each has run): when an old generation can be released.</param>
    private TlsSecretWatcher(TlsSecretRegistry registry, Action<Action> afterWorkersPass)
    {
        _registry = registry;
        _afterWorkersPass = afterWorkersPass;
        _thread = new Thread(Run) { Name = "meshedge-secrets", IsBackground = true };
    }

    public static TlsSecretWatcher Start(TlsSecretRegistry registry, Action<Action> afterWorkersPass)
    {
        var watcher = new TlsSecretWatcher(registry, afterWorkersPass);
        watcher._thread.Start();
        return watcher;
    }

    private void Run()
    {
        while (!_stop.Wait(PollInterval))
        {
            foreach (var secret in _registry.Secrets)
            {
                try
                {
                    Poll(secret);
                }
                catch (Exception ex)
                {
                    Log.Error("certificate watcher fault", ("secret", secret.Name), ("error", ex.Message));
                }
            }
        }
    }

    private void Poll(TlsSecret secret)
    {
        if (!secret.HasFile)
        {
            // PEM held in memory (inline, or sent by the control plane) changes only with the config.
            return;
        }

        var stamps = (TlsSecret.StampOf(secret.CertificateChain), TlsSecret.StampOf(secret.PrivateKey));
        if (stamps != secret.Seen)
        {
            secret.Seen = stamps;
            secret.ChangePending = true;
            return;
        }

        if (!secret.ChangePending)
        {
            return;
        }

        secret.ChangePending = false;
        if (secret.ReadFiles() is not { } files)
        {
            secret.Failed($"cannot read {secret.CertificateChain} or {secret.PrivateKey}");
            return;
        }

        if (files.Chain.AsSpan().SequenceEqual(secret.Loaded.Chain) && files.Key.AsSpan().SequenceEqual(secret.Loaded.Key))
        {
            return;
        }

        Reload(secret, files);
    }

    private void Reload(TlsSecret secret, (byte[] Chain, byte[] Key) files)
    {
        var built = new List<(TlsServerContext Root, TlsServerContext Next)>();
        var errors = new List<(string Path, string Reason)>();
        foreach (var (listener, _, root) in secret.Users)
        {
            if (TlsServerContext.Load(root.Config, $"listeners[{listener}]", errors) is { } next)
            {
                built.Add((root, next));
            }
        }

        // The files must still hold what was compared: a write that landed during the load would
        // leave a mix; it is taken on a later poll.
        var after = secret.ReadFiles();
        var settled = after is { } again && again.Chain.AsSpan().SequenceEqual(files.Chain) && again.Key.AsSpan().SequenceEqual(files.Key);
        if (errors.Count > 0 || !settled)
        {
            foreach (var (_, next) in built)
            {
                next.Release();
            }

            if (!settled)
            {
                secret.ChangePending = true;
                return;
            }

            secret.Failed(string.Join("; ", errors.Select(e => $"{e.Path}: {e.Reason}")));
            return;
        }

        foreach (var (root, next) in built)
        {
            var old = root.Slot!.Swap(next);
            _afterWorkersPass(old.Release);
        }

        secret.Took(files, reload: true);
    }

    public void Dispose()
    {
        _stop.Set();
        _thread.Join();
    }
}
