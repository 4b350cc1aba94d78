using MeshEdge.Config.Model;
using MeshEdge.Native.Tls.Interop;
using static MeshEdge.Native.Tls.Interop.X509Constants;

namespace MeshEdge.Native.Tls;

/// <summary>The rest of a certificate group (<see cref="TlsCertificateGroups"/>) added to the context made for its first.</summary>
internal static unsafe partial class TlsContextBuilder
{
    /// <summary>
    /// Loads <paramref name="group"/>[1..] into <paramref name="ctx"/> beside <paramref name="group"/>[0]:
    /// OpenSSL keeps one certificate, chain and key per key type, so a second of the same type would
    /// silently replace the first; that is refused, naming both. When the first failed to load
    /// (<paramref name="ctx"/> 0), the others are still checked, in a scratch context, so that every bad
    /// file is reported at once.
    /// </summary>
    public static bool AddAlternatives(nint ctx, List<TlsCertificateConfig> group, List<(string Path, string Reason)> errors)
    {
        if (group.Count == 1)
        {
            return ctx != 0;
        }

        var scratch = ctx == 0 ? LibSsl.SSL_CTX_new(LibSsl.TLS_server_method()) : 0;
        var ok = ctx != 0 && Load(ctx, group, errors);
        if (scratch != 0)
        {
            Load(scratch, group, errors);
            LibSsl.SSL_CTX_free(scratch);
        }

        return ok;
    }

    private static bool Load(nint ctx, List<TlsCertificateConfig> group, List<(string Path, string Reason)> errors)
    {
        var types = new Dictionary<int, TlsCertificateConfig>();
        if (LibSsl.SSL_CTX_get0_certificate(ctx) != 0)
        {
            types[KeyType(ctx)] = group[0];
        }

        var ok = true;
        foreach (var certificate in group.Skip(1))
        {
            var chainPath = certificate.KeyPath + ".certificate_chain";
            var keyPath = certificate.KeyPath + ".private_key";
            var chain = PemMaterial.Read(certificate.CertificateChain, chainPath, errors);
            var key = PemMaterial.Read(certificate.PrivateKey, keyPath, errors);
            if (chain is null || key is null)
            {
                ok = false;
                continue;
            }

            if (!UseCertificate(ctx, certificate.CertificateChain, chain, chainPath, errors)
                || !UseKey(ctx, certificate.PrivateKey, key, certificate.CertificateChain, keyPath, errors))
            {
                ok = false;
                continue;
            }

            var type = KeyType(ctx);
            if (!types.TryAdd(type, certificate))
            {
                errors.Add((certificate.KeyPath, $"a second {KeyTypeName(type)} certificate for the same server names as {types[type].KeyPath}: " +
                    "certificates listing the same names are alternatives, one per key type (ECDSA, RSA)"));
                ok = false;
            }
        }

        return ok;
    }

    /// <summary>The key type of the context's current certificate (the one loaded last).</summary>
    private static int KeyType(nint ctx) => LibCrypto.EVP_PKEY_get_base_id(LibCrypto.X509_get0_pubkey(LibSsl.SSL_CTX_get0_certificate(ctx)));

    private static string KeyTypeName(int type) => type switch
    {
        EVP_PKEY_EC => "ECDSA",
        EVP_PKEY_RSA => "RSA",
        _ => "key type " + type,
    };
}
