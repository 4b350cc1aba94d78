using MeshEdge.Config.Model;
using MeshEdge.Native.Hosting;

namespace MeshEdge.Native.Tls;

/// <summary>
/// One named certificate and key at run time: its sources (files, or PEM held in memory), the
/// listeners whose contexts load it, and its <see cref="Status"/>. The file state (stamps, bytes
/// loaded) is the watcher thread's alone; a secret with no file is not polled.
/// </summary>
internal sealed class TlsSecret(string name, PemSource certificateChain, PemSource privateKey, bool fromControlPlane = false)
{
    private volatile TlsSecretStatus _status = new(null, DateTimeOffset.UtcNow, null, null, 0, 0);

    public string Name { get; } = name;

    public PemSource CertificateChain { get; } = certificateChain;

    public PemSource PrivateKey { get; } = privateKey;

    /// <summary>Where it comes from, as /certs shows it: <c>sds:NAME</c> (the control plane), else the chain's file or <c>inline</c>.</summary>
    public string Source { get; } = SourceOf(name, certificateChain, fromControlPlane);

    /// <summary>What <see cref="Source"/> says for a secret of that name and chain.</summary>
    public static string SourceOf(string name, PemSource chain, bool fromControlPlane) => fromControlPlane ? "sds:" + name : chain.Describe;

    /// <summary>Whether either part is a file, which the watcher polls for changes.</summary>
    public bool HasFile => CertificateChain.IsFile || PrivateKey.IsFile;

    private volatile (int Listener, string Name, TlsServerContext Context)[] _users = [];

    /// <summary>
    /// Each listener that serves it: its index, name and the context it was built with (whose slot
    /// takes reloads). Replaced whole when a live config change alters who serves it, so the watcher
    /// and /certs read a consistent list without a lock.
    /// </summary>
    public IReadOnlyList<(int Listener, string Name, TlsServerContext Context)> Users
    {
        get => _users;
        internal set => _users = [.. value];
    }

    public TlsSecretStatus Status
    {
        get => _status;
        set => _status = value;
    }

    /// <summary>The stamps of both files as last polled (watcher thread only).</summary>
    internal (FileStamp Chain, FileStamp Key) Seen;

    /// <summary>A change was seen and waits for the files to settle (watcher thread only).</summary>
    internal bool ChangePending;

    /// <summary>The bytes of both files the material in use came from (watcher thread only).</summary>
    internal (byte[] Chain, byte[] Key) Loaded = ([], []);

    /// <summary>Reads both parts as they are now (a file's contents, or the PEM held); null when a file cannot be read.</summary>
    internal (byte[] Chain, byte[] Key)? ReadFiles()
    {
        try
        {
            return (Bytes(CertificateChain), Bytes(PrivateKey));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static byte[] Bytes(PemSource source) =>
        source.Pem is { } pem ? System.Text.Encoding.UTF8.GetBytes(pem) : File.ReadAllBytes(source.Path!);

    /// <summary>The stamp of a part: a file's, or a constant one for PEM held in memory (it never changes).</summary>
    internal static FileStamp StampOf(PemSource source) => source.IsFile ? FileStamp.Of(source.Path!) : default;

    /// <summary>Records the material now in use (at start or after a reload) and warns when its certificate has expired or soon will.</summary>
    internal void Took((byte[] Chain, byte[] Key) files, bool reload)
    {
        Loaded = files;
        var now = DateTimeOffset.UtcNow;
        var certificate = X509LeafReader.Read(System.Text.Encoding.ASCII.GetString(files.Chain));
        var previous = Status;
        Status = new TlsSecretStatus(certificate, now, null, null, previous.Reloads + (reload ? 1 : 0), previous.ReloadFailures);
        if (reload)
        {
            Log.Info("certificate reloaded", ("secret", Name), ("serial", certificate?.SerialNumber), ("not_after", certificate?.NotAfter.ToString("O")),
                ("listeners", string.Join(",", Users.Select(u => u.Name).Distinct())));
        }

        WarnOnExpiry(certificate, now);
    }

    /// <summary>A reload that failed: the old material stays; the reason goes to the log, the counter and /certs.</summary>
    internal void Failed(string reason)
    {
        var previous = Status;
        Status = previous with { LastError = reason, LastErrorAt = DateTimeOffset.UtcNow, ReloadFailures = previous.ReloadFailures + 1 };
        Log.Warn("certificate reload failed, keeping the one in use", ("secret", Name), ("reason", reason));
    }

    private void WarnOnExpiry(CertificateSummary? certificate, DateTimeOffset now)
    {
        if (certificate is null)
        {
            return;
        }

        var status = certificate.Status(now);
        if (status != "valid")
        {
            Log.Warn(status == "expired" ? "certificate expired" : status == "expiring" ? "certificate expires soon" : "certificate not yet valid",
                ("secret", Name), ("file", CertificateChain.Describe), ("not_after", certificate.NotAfter.ToString("O")), ("days_left", certificate.DaysLeft(now)));
        }
    }
}
