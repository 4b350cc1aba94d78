using MeshEdge.Config.Model;
using MeshEdge.Native.Tls.Interop;

namespace MeshEdge.Native.Tls;

/// <summary>
/// Loads a secret's material into a scratch OpenSSL context, as a listener or cluster would: a
/// certificate chain with its key (which must match), or a CA bundle (which must hold certificates).
/// What a secret from the control plane must pass before it replaces the one in use.
/// </summary>
internal static class TlsSecretCheck
{
    /// <summary>Null when the material loads, else each problem (key path, reason), joined.</summary>
    public static string? Problem(SecretConfig secret)
    {
        var errors = new List<(string Path, string Reason)>();
        LibCrypto.ERR_clear_error();
        var ctx = LibSsl.SSL_CTX_new(LibSsl.TLS_server_method());
        if (ctx == 0)
        {
            return "cannot create a TLS context: " + OpenSslError.DrainMessage("out of memory");
        }

        try
        {
            if (secret.TrustedCa is { } ca)
            {
                if (PemMaterial.Read(ca, "validation_context.trusted_ca", errors) is { } bundle && PemMaterial.Trust(ctx, bundle, nameAsClientCas: false) == 0)
                {
                    errors.Add(("validation_context.trusted_ca", $"{ca.Describe} is not a PEM CA bundle ({OpenSslError.DrainMessage("no certificate in it")})"));
                }
            }
            else
            {
                const string chainPath = "tls_certificate.certificate_chain", keyPath = "tls_certificate.private_key";
                var chain = PemMaterial.Read(secret.CertificateChain, chainPath, errors);
                var key = PemMaterial.Read(secret.PrivateKey, keyPath, errors);
                _ = chain is not null && key is not null
                    && TlsContextBuilder.UseCertificate(ctx, secret.CertificateChain, chain, chainPath, errors)
                    && TlsContextBuilder.UseKey(ctx, secret.PrivateKey, key, secret.CertificateChain, keyPath, errors);
            }
        }
        finally
        {
            LibSsl.SSL_CTX_free(ctx);
        }

        return errors.Count == 0 ? null : string.Join("; ", errors.Select(e => $"{e.Path}: {e.Reason}"));
    }
}
