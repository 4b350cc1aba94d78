using System.Buffers;
using MeshEdge.Config.Model;
using MeshEdge.Native.Tls.Interop;
using static MeshEdge.Native.Tls.Interop.X509Constants;

namespace MeshEdge.Native.Tls;

/// <summary>
/// This hop's element of x-forwarded-client-cert, in Envoy's format and order:
/// <c>By=&lt;our URI SAN&gt;;Hash=&lt;sha256 hex&gt;;Cert="...";Chain="...";Subject="...";URI=...;DNS=...</c>,
/// pairs joined by ';' (By once per URI SAN of our certificate, URI and DNS once per SAN of the
/// client's; URI= even when there is none, as Envoy writes it). Built once per connection.
/// </summary>
internal static class ClientCertElement
{
    public static byte[] Build(nint ssl, nint peer, ClientCertDetails details, byte[] hash, byte[] subject, byte[][] uris, byte[][] dns)
    {
        var output = new ArrayBufferWriter<byte>(256);
        var local = LibSsl.SSL_get_certificate(ssl);
        foreach (var by in local == 0 ? [] : CertificateReader.Sans(local, GEN_URI))
        {
            Pair(output, "By="u8, by);
        }

        Pair(output, "Hash="u8, hash);
        if ((details & ClientCertDetails.Cert) != 0)
        {
            Quoted(output, "Cert=\""u8, PercentEncoding.Encode(CertificateReader.Pem(peer)));
        }

        if ((details & ClientCertDetails.Chain) != 0)
        {
            Quoted(output, "Chain=\""u8, PercentEncoding.Encode(ChainPem(ssl, peer)));
        }

        if ((details & ClientCertDetails.Subject) != 0)
        {
            Quoted(output, "Subject=\""u8, subject);
        }

        if ((details & ClientCertDetails.Uri) != 0)
        {
            if (uris.Length == 0)
            {
                Pair(output, "URI="u8, []);
            }

            foreach (var uri in uris)
            {
                Pair(output, "URI="u8, uri);
            }
        }

        if ((details & ClientCertDetails.Dns) != 0)
        {
            foreach (var name in dns)
            {
                Pair(output, "DNS="u8, name);
            }
        }

        return output.WrittenSpan.ToArray();
    }

    /// <summary>The leaf and then what the client sent after it (libssl's server-side chain leaves the leaf out).</summary>
    private static byte[] ChainPem(nint ssl, nint peer)
    {
        var pem = new List<byte>(CertificateReader.Pem(peer));
        var chain = LibSsl.SSL_get_peer_cert_chain(ssl);
        var count = chain == 0 ? 0 : LibCrypto.OPENSSL_sk_num(chain);
        for (var i = 0; i < count; i++)
        {
            var certificate = LibCrypto.OPENSSL_sk_value(chain, i);
            if (certificate != peer)
            {
                pem.AddRange(CertificateReader.Pem(certificate));
            }
        }

        return [.. pem];
    }

    private static void Pair(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        if (output.WrittenCount > 0)
        {
            output.Write(";"u8);
        }

        output.Write(key);
        output.Write(value);
    }

    private static void Quoted(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> keyAndQuote, ReadOnlySpan<byte> value)
    {
        Pair(output, keyAndQuote, value);
        output.Write("\""u8);
    }
}
