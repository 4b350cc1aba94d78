using System.Text;
using MeshEdge.Config.Model;
using MeshEdge.Interop;
using MeshEdge.Native.Tls.Interop;
using static MeshEdge.Native.Tls.Interop.SslConstants;

namespace MeshEdge.Native.Tls;

/// <summary>
/// Makes one OpenSSL server context for one certificate with the listener's settings: TLS 1.2 and
/// 1.3 only by default, no compression, no renegotiation, buffers released while idle, no stateful
/// session cache (it is one locked table shared by every worker). Material is read by us first
/// (<see cref="PemMaterial"/>), so a missing or unreadable file is reported in the system's words, not
/// OpenSSL's, and inline PEM is parsed from memory.
/// </summary>
internal static unsafe partial class TlsContextBuilder
{
    private const long Modes = SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS;

    /// <summary>The context, or 0 with the reasons added to <paramref name="errors"/>.</summary>
    public static nint Create(TlsConfig config, string listenerPath, TlsCertificateConfig certificate, List<(string Path, string Reason)> errors)
    {
        var chainPath = certificate.KeyPath + ".certificate_chain";
        var keyPath = certificate.KeyPath + ".private_key";
        var chain = PemMaterial.Read(certificate.CertificateChain, chainPath, errors);
        var key = PemMaterial.Read(certificate.PrivateKey, keyPath, errors);
        if (chain is null || key is null)
        {
            return 0;
        }

        LibCrypto.ERR_clear_error();
        var ctx = LibSsl.SSL_CTX_new(LibSsl.TLS_server_method());
        if (ctx == 0)
        {
            errors.Add((certificate.KeyPath, "cannot create a TLS context: " + OpenSslError.DrainMessage("out of memory")));
            return 0;
        }

        Track(ctx);
        LibSsl.SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_IGNORE_UNEXPECTED_EOF);
        LibSsl.SSL_CTX_ctrl(ctx, SSL_CTRL_SET_MIN_PROTO_VERSION, Version(config.MinVersion), 0);
        LibSsl.SSL_CTX_ctrl(ctx, SSL_CTRL_SET_MAX_PROTO_VERSION, Version(config.MaxVersion), 0);
        LibSsl.SSL_CTX_ctrl(ctx, SSL_CTRL_MODE, Modes, 0);
        LibSsl.SSL_CTX_ctrl(ctx, SSL_CTRL_SET_SESS_CACHE_MODE, SSL_SESS_CACHE_OFF, 0);
        TicketKeyCallback.Install(ctx);
        fixed (byte* sessionContext = "meshedge"u8)
        {
            // Without one, libssl refuses to resume a session whose client certificate it verified.
            LibSsl.SSL_CTX_set_session_id_context(ctx, sessionContext, 8);
        }

        var ok = Call(&LibSsl.SSL_CTX_set_cipher_list, ctx, config.Ciphers, listenerPath + ".tls.ciphers", "no usable TLS 1.2 cipher in the list", errors)
            & Call(&LibSsl.SSL_CTX_set_ciphersuites, ctx, config.CipherSuites, listenerPath + ".tls.ciphersuites", "not a TLS 1.3 cipher suite list", errors)
            && UseCertificate(ctx, certificate.CertificateChain, chain, chainPath, errors)
            && UseKey(ctx, certificate.PrivateKey, key, certificate.CertificateChain, keyPath, errors)
            && (config.ClientCertificate == TlsClientCertificate.None || RequireClientCertificates(ctx, config, listenerPath + ".tls.client_ca", errors));
        if (!ok)
        {
            LibSsl.SSL_CTX_free(ctx);
            return 0;
        }

        return ctx;
    }

    /// <summary>The chain in <paramref name="pem"/> as the context's current certificate; false with the reason when it is not one.</summary>
    internal static bool UseCertificate(nint ctx, PemSource source, byte[] pem, string chainPath, List<(string Path, string Reason)> errors)
    {
        if (PemMaterial.UseChain(ctx, pem))
        {
            return true;
        }

        errors.Add((chainPath, $"{source.Describe} is not a PEM certificate chain ({OpenSslError.DrainMessage("no certificate in it")})"));
        return false;
    }

    /// <summary>The key for the current certificate, checked against it; false with the reason (not a key, or not this certificate's).</summary>
    internal static bool UseKey(nint ctx, PemSource source, byte[] pem, PemSource chain, string keyPath, List<(string Path, string Reason)> errors)
    {
        if (PemMaterial.UseKey(ctx, pem) && LibSsl.SSL_CTX_check_private_key(ctx) == 1)
        {
            return true;
        }

        var why = OpenSslError.DrainMessage("unusable");
        errors.Add((keyPath, why.Contains("mismatch", StringComparison.OrdinalIgnoreCase)
            ? $"{source.Describe} does not match the certificate in {chain.Describe}"
            : $"{source.Describe} is not a PEM private key ({why})"));
        return false;
    }

    /// <summary>Mutual TLS: verify client certificates against the CA bundle, and name its CAs in the CertificateRequest.</summary>
    private static bool RequireClientCertificates(nint ctx, TlsConfig config, string path, List<(string Path, string Reason)> errors)
    {
        var bundle = config.ClientCa!;
        if (PemMaterial.Read(bundle, path, errors) is not { } pem)
        {
            return false;
        }

        if (PemMaterial.Trust(ctx, pem, nameAsClientCas: true) == 0)
        {
            errors.Add((path, $"{bundle.Describe} is not a PEM CA bundle ({OpenSslError.DrainMessage("no certificate in it")})"));
            return false;
        }

        var mode = config.ClientCertificate == TlsClientCertificate.Required ? SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT : SSL_VERIFY_PEER;
        LibSsl.SSL_CTX_set_verify(ctx, mode, 0);
        TlsPeerVerifier.Install(ctx, config);
        return true;
    }

    internal static bool Call(delegate*<nint, byte*, int> setter, nint ctx, string value, string path, string reason, List<(string Path, string Reason)> errors)
    {
        fixed (byte* text = Encoding.UTF8.GetBytes(value + "\0"))
        {
            if (setter(ctx, text) == 1)
            {
                return true;
            }
        }

        errors.Add((path, $"{reason} ({OpenSslError.DrainMessage("rejected")})"));
        return false;
    }

    /// <summary>Opens the file as OpenSSL will, to report a failure in the system's words (UseSystemResourceKeys leaves .NET's own messages as keys).</summary>
    internal static bool Readable(string file, string path, List<(string Path, string Reason)> errors)
    {
        const int ReadOnly = 0;
        int fd;
        fixed (byte* name = Encoding.UTF8.GetBytes(file + "\0"))
        {
            fd = Libc.Open(name, ReadOnly);
        }

        if (fd < 0)
        {
            errors.Add((path, $"cannot read {file}: {Libc.Describe(Libc.Errno)}"));
            return false;
        }

        Libc.Close(fd);
        return true;
    }

    internal static long Version(TlsVersion version) => version == TlsVersion.Tls13 ? TLS1_3_VERSION : TLS1_2_VERSION;
}
