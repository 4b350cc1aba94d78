using System.Runtime.InteropServices;
using System.Text;
using MeshEdge.Config.Model;
using MeshEdge.Native.Runtime;
using MeshEdge.Native.Tls.Interop;
using MeshEdge.Native.Upstream;
using static MeshEdge.Native.Tls.Interop.SslClientConstants;
using static MeshEdge.Native.Tls.Interop.SslConstants;

namespace MeshEdge.Native.Tls;

/// <summary>
/// A cluster's client side of TLS: one OpenSSL client context (versions, ciphers, ALPN, the CA the
/// servers must chain to, the client certificate) shared by every worker, and per worker one
/// <see cref="TlsClientTarget"/> per host, which holds the session that host's next connection
/// resumes. Built once (before the workers start) and read-only afterwards but for the targets,
/// each touched by its own worker only.
/// </summary>
internal sealed unsafe class TlsClientContext
{
    /// <summary>The most workers a config may ask for (runtime.workers).</summary>
    private const int MaxWorkers = 1024;

    /// <summary>Targets of hosts that left the cluster are dropped once a worker holds this many.</summary>
    private const int PruneAbove = 256;

    private readonly Dictionary<UpstreamHost, TlsClientTarget>?[] _targets = new Dictionary<UpstreamHost, TlsClientTarget>?[MaxWorkers];

    private TlsClientContext(UpstreamTlsConfig config, nint context)
    {
        Config = config;
        Context = context;
    }

    /// <summary>
    /// Nothing reaches the context any more (every cluster runtime and health check probe made from it
    /// is gone, and each worker let go of its retired cluster): the sessions its targets kept and our
    /// reference to the SSL_CTX are freed. A connection still open holds its own reference (SSL_new
    /// takes one), so OpenSSL frees the context with the last of them; /certs' live_client_contexts
    /// drops then. Workers never touch the targets again, so the finalizer's thread may.
    /// </summary>
    ~TlsClientContext()
    {
        foreach (var targets in _targets)
        {
            if (targets is null)
            {
                continue;
            }

            foreach (var target in targets.Values)
            {
                target.ForgetSession();
            }
        }

        LibSsl.SSL_CTX_free(Context);
    }

    public UpstreamTlsConfig Config { get; }

    /// <summary>The SSL_CTX every connection of the cluster is made from.</summary>
    public nint Context { get; }

    /// <summary>
    /// Makes the context for <paramref name="config"/>; null with the problems (key path, reason) in
    /// <paramref name="errors"/> when a file is unreadable or unparsable or a setting is refused.
    /// </summary>
    public static TlsClientContext? Create(UpstreamTlsConfig config, List<(string Path, string Reason)> errors)
    {
        var path = config.KeyPath;
        var ca = config.Ca is null ? [] : PemMaterial.Read(config.Ca, path + ".ca", errors);
        var chain = config.CertificateChain is null ? [] : PemMaterial.Read(config.CertificateChain, path + ".certificate_chain", errors);
        var key = config.PrivateKey is null ? [] : PemMaterial.Read(config.PrivateKey, path + ".private_key", errors);
        if (ca is null || chain is null || key is null)
        {
            return null;
        }

        LibCrypto.ERR_clear_error();
        var ctx = LibSsl.SSL_CTX_new(LibSslClient.TLS_client_method());
        if (ctx == 0)
        {
            errors.Add((path, "cannot create a TLS context: " + OpenSslError.DrainMessage("out of memory")));
            return null;
        }

        TlsContextBuilder.TrackClient(ctx);
        LibSsl.SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_IGNORE_UNEXPECTED_EOF);
        LibSsl.SSL_CTX_ctrl(ctx, SSL_CTRL_SET_MIN_PROTO_VERSION, TlsContextBuilder.Version(config.MinVersion), 0);
        LibSsl.SSL_CTX_ctrl(ctx, SSL_CTRL_SET_MAX_PROTO_VERSION, TlsContextBuilder.Version(config.MaxVersion), 0);
        LibSsl.SSL_CTX_ctrl(ctx, SSL_CTRL_MODE, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS, 0);

        // Sessions are kept by us, per worker and host (the new-session callback), never in the
        // context's own table, which is one locked table for every worker.
        LibSsl.SSL_CTX_ctrl(ctx, SSL_CTRL_SET_SESS_CACHE_MODE, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL, 0);
        LibSslClient.SSL_CTX_sess_set_new_cb(ctx, (nint)(delegate* unmanaged<nint, nint, int>)&TlsClientCallbacks.OnNewSession);

        var ok = TlsContextBuilder.Call(&LibSsl.SSL_CTX_set_cipher_list, ctx, config.Ciphers, path + ".ciphers", "no usable TLS 1.2 cipher in the list", errors)
            & TlsContextBuilder.Call(&LibSsl.SSL_CTX_set_ciphersuites, ctx, config.CipherSuites, path + ".ciphersuites", "not a TLS 1.3 cipher suite list", errors)
            && SetAlpn(ctx, config, errors)
            && LoadClientCertificate(ctx, config, chain, key, errors)
            && SetVerification(ctx, config, ca, errors);
        if (!ok)
        {
            LibSsl.SSL_CTX_free(ctx);
            return null;
        }

        return new TlsClientContext(config, ctx);
    }

    /// <summary>
    /// This worker's target for <paramref name="host"/>: server name, expected names and the session
    /// to resume. Made on the first connection to the host and kept while the host is in the cluster.
    /// </summary>
    public TlsClientTarget TargetFor(Worker worker, UpstreamHost host, TlsClientStats stats)
    {
        var targets = _targets[worker.Id] ??= [];
        if (targets.TryGetValue(host, out var target))
        {
            return target;
        }

        if (targets.Count >= PruneAbove)
        {
            foreach (var (gone, stale) in targets.Where(t => t.Key.IsRemoved).ToArray())
            {
                stale.ForgetSession();
                targets.Remove(gone);
            }
        }

        target = new TlsClientTarget(this, stats, Config.Sni ?? host.Hostname);
        targets[host] = target;
        return target;
    }

    /// <summary>A target of its own for one health check probe of <paramref name="host"/> (its counts and session are not the workers').</summary>
    public TlsClientTarget ProbeTarget(UpstreamHost host) => new(this, new TlsClientStats(), Config.Sni ?? host.Hostname);

    private static bool SetAlpn(nint ctx, UpstreamTlsConfig config, List<(string Path, string Reason)> errors)
    {
        if (config.Alpn.IsEmpty)
        {
            return true;
        }

        var wire = config.Alpn.SelectMany(p => new[] { (byte)p.Length }.Concat(Encoding.ASCII.GetBytes(p))).ToArray();
        fixed (byte* protocols = wire)
        {
            if (LibSslClient.SSL_CTX_set_alpn_protos(ctx, protocols, (uint)wire.Length) == 0)
            {
                return true;
            }
        }

        errors.Add((config.KeyPath + ".alpn", "refused by OpenSSL (" + OpenSslError.DrainMessage("rejected") + ")"));
        return false;
    }

    private static bool LoadClientCertificate(nint ctx, UpstreamTlsConfig config, byte[] chainPem, byte[] keyPem, List<(string Path, string Reason)> errors)
    {
        if (config.CertificateChain is not { } chain || config.PrivateKey is not { } key)
        {
            return true;
        }

        return TlsContextBuilder.UseCertificate(ctx, chain, chainPem, config.KeyPath + ".certificate_chain", errors)
            && TlsContextBuilder.UseKey(ctx, key, keyPem, chain, config.KeyPath + ".private_key", errors);
    }

    /// <summary>The server's chain against the CA bundle (or the system's trust store), then its names (<see cref="TlsClientCallbacks.VerifyServer"/>).</summary>
    private static bool SetVerification(nint ctx, UpstreamTlsConfig config, byte[] caPem, List<(string Path, string Reason)> errors)
    {
        if (!config.Verify)
        {
            LibSsl.SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, 0);
            return true;
        }

        if (config.Ca is { } bundle)
        {
            if (PemMaterial.Trust(ctx, caPem, nameAsClientCas: false) == 0)
            {
                errors.Add((config.KeyPath + ".ca", $"{bundle.Describe} is not a PEM CA bundle ({OpenSslError.DrainMessage("no certificate in it")})"));
                return false;
            }
        }
        else if (LibSslClient.SSL_CTX_set_default_verify_paths(ctx) != 1)
        {
            errors.Add((config.KeyPath, "cannot load the system's trust store: " + OpenSslError.DrainMessage("unknown reason") + "; set ca"));
            return false;
        }

        LibSsl.SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, (nint)(delegate* unmanaged<int, nint, int>)&TlsClientCallbacks.VerifyServer);
        return true;
    }
}
