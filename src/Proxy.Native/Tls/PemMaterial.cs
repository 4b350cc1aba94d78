using System.Text;
using MeshEdge.Config.Model;
using MeshEdge.Native.Tls.Interop;

namespace MeshEdge.Native.Tls;

/// <summary>
/// Certificate material into OpenSSL contexts from bytes, whatever its source: a file is read by us
/// (so a missing or unreadable one is reported in the system's words), inline PEM and secrets from
/// the control plane are used as they are; either way OpenSSL parses them from a memory BIO. The
/// chain is loaded as <c>SSL_CTX_use_certificate_chain_file</c> does: the leaf, then the rest as its chain.
/// </summary>
internal static unsafe class PemMaterial
{
    private const int SSL_CTRL_CHAIN = 88;
    private const int SSL_CTRL_CHAIN_CERT = 89;

    /// <summary>The bytes of <paramref name="source"/>; null with the reason added under <paramref name="path"/> when a file cannot be read.</summary>
    public static byte[]? Read(PemSource source, string path, List<(string Path, string Reason)> errors)
    {
        if (source.Pem is { } pem)
        {
            return Encoding.UTF8.GetBytes(pem);
        }

        if (!TlsContextBuilder.Readable(source.Path!, path, errors))
        {
            return null;
        }

        try
        {
            return File.ReadAllBytes(source.Path!);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            errors.Add((path, $"cannot read {source.Path}: {ex.GetType().Name}"));
            return null;
        }
    }

    /// <summary>Makes the first certificate in <paramref name="pem"/> the context's current one and the rest its chain; false when there is none.</summary>
    public static bool UseChain(nint ctx, byte[] pem)
    {
        return WithBio(pem, bio =>
        {
            var leaf = LibCrypto.PEM_read_bio_X509_AUX(bio, null, 0, 0);
            if (leaf == 0)
            {
                return false;
            }

            var used = LibSsl.SSL_CTX_use_certificate(ctx, leaf) == 1;
            LibCrypto.X509_free(leaf);
            if (!used)
            {
                return false;
            }

            // Clear any chain left from before, then add the intermediates (add0: the context owns them).
            LibSsl.SSL_CTX_ctrl(ctx, SSL_CTRL_CHAIN, 0, 0);
            nint next;
            while ((next = LibCrypto.PEM_read_bio_X509(bio, null, 0, 0)) != 0)
            {
                if (LibSsl.SSL_CTX_ctrl(ctx, SSL_CTRL_CHAIN_CERT, 0, next) != 1)
                {
                    LibCrypto.X509_free(next);
                    return false;
                }
            }

            // The loop ends on "no start line" at the end of the text: not an error.
            LibCrypto.ERR_clear_error();
            return true;
        });
    }

    /// <summary>Sets the private key of the context's current certificate; false when it is not a PEM key.</summary>
    public static bool UseKey(nint ctx, byte[] pem)
    {
        return WithBio(pem, bio =>
        {
            var key = LibCrypto.PEM_read_bio_PrivateKey(bio, null, 0, 0);
            if (key == 0)
            {
                return false;
            }

            var used = LibSsl.SSL_CTX_use_PrivateKey(ctx, key) == 1;
            LibCrypto.EVP_PKEY_free(key);
            return used;
        });
    }

    /// <summary>
    /// Trusts every certificate in the bundle for verifying peers (and, for a server, names each in
    /// its CertificateRequest); the number of certificates taken, 0 when the bundle holds none.
    /// </summary>
    public static int Trust(nint ctx, byte[] pem, bool nameAsClientCas)
    {
        var store = LibSsl.SSL_CTX_get_cert_store(ctx);
        var count = 0;
        WithBio(pem, bio =>
        {
            nint certificate;
            while ((certificate = LibCrypto.PEM_read_bio_X509_AUX(bio, null, 0, 0)) != 0)
            {
                var taken = LibCrypto.X509_STORE_add_cert(store, certificate) == 1
                    && (!nameAsClientCas || LibSsl.SSL_CTX_add_client_CA(ctx, certificate) == 1);
                LibCrypto.X509_free(certificate);
                if (!taken)
                {
                    count = 0;
                    return false;
                }

                count++;
            }

            if (count > 0)
            {
                LibCrypto.ERR_clear_error();
            }

            return count > 0;
        });
        return count;
    }

    private static bool WithBio(byte[] pem, Func<nint, bool> use)
    {
        fixed (byte* data = pem)
        {
            var bio = LibCrypto.BIO_new_mem_buf(data, pem.Length);
            if (bio == 0)
            {
                return false;
            }

            try
            {
                return use(bio);
            }
            finally
            {
                LibCrypto.BIO_free(bio);
            }
        }
    }
}
