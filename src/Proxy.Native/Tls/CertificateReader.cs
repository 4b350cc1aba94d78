using MeshEdge.Native.Tls.Interop;
using static MeshEdge.Native.Tls.Interop.X509Constants;

namespace MeshEdge.Native.Tls;

/// <summary>
/// Reads what a certificate (an OpenSSL X509*) says about its holder: SANs by type, the subject in
/// RFC 2253 form, the SHA-256 fingerprint, the PEM text. Runs once per handshake, never per request.
/// </summary>
internal static unsafe class CertificateReader
{
    /// <summary>Whether some SAN of <paramref name="certificate"/> satisfies one of <paramref name="matchers"/> (no allocation).</summary>
    public static bool AnySanMatches(nint certificate, SubjectAltNameMatcher[] matchers)
    {
        var names = LibCrypto.X509_get_ext_d2i(certificate, NID_subject_alt_name, null, null);
        if (names == 0)
        {
            LibCrypto.ERR_clear_error();
            return false;
        }

        try
        {
            var count = LibCrypto.OPENSSL_sk_num(names);
            for (var i = 0; i < count; i++)
            {
                int type;
                var value = LibCrypto.GENERAL_NAME_get0_value(LibCrypto.OPENSSL_sk_value(names, i), &type);
                foreach (var matcher in matchers)
                {
                    if (matcher.GeneralNameType == type && matcher.Matches(Text(value)))
                    {
                        return true;
                    }
                }
            }

            return false;
        }
        finally
        {
            LibCrypto.GENERAL_NAMES_free(names);
        }
    }

    /// <summary>The SANs of <paramref name="type"/> (GEN_DNS, GEN_URI), in certificate order.</summary>
    public static byte[][] Sans(nint certificate, int type)
    {
        var names = LibCrypto.X509_get_ext_d2i(certificate, NID_subject_alt_name, null, null);
        if (names == 0)
        {
            LibCrypto.ERR_clear_error();
            return [];
        }

        var found = new List<byte[]>();
        var count = LibCrypto.OPENSSL_sk_num(names);
        for (var i = 0; i < count; i++)
        {
            int kind;
            var value = LibCrypto.GENERAL_NAME_get0_value(LibCrypto.OPENSSL_sk_value(names, i), &kind);
            if (kind == type)
            {
                found.Add(Text(value).ToArray());
            }
        }

        LibCrypto.GENERAL_NAMES_free(names);
        return [.. found];
    }

    /// <summary>"CN=client,O=Example" (RFC 2253, as Envoy prints it).</summary>
    public static byte[] Subject(nint certificate) =>
        Print(certificate, static (bio, cert) => LibCrypto.X509_NAME_print_ex(bio, LibCrypto.X509_get_subject_name(cert), 0, XN_FLAG_RFC2253) >= 0);

    /// <summary>The certificate in PEM.</summary>
    public static byte[] Pem(nint certificate) =>
        Print(certificate, static (bio, cert) => LibCrypto.PEM_write_bio_X509(bio, cert) == 1);

    /// <summary>The SHA-256 of the DER encoding, in lower-case hex (Envoy's Hash and fingerprint).</summary>
    public static byte[] Sha256Hex(nint certificate)
    {
        var digest = stackalloc byte[32];
        uint length = 32;
        if (LibCrypto.X509_digest(certificate, LibCrypto.EVP_sha256(), digest, &length) != 1)
        {
            LibCrypto.ERR_clear_error();
            return [];
        }

        var hex = new byte[length * 2];
        for (var i = 0; i < length; i++)
        {
            hex[2 * i] = HexDigit(digest[i] >> 4);
            hex[(2 * i) + 1] = HexDigit(digest[i] & 0xF);
        }

        return hex;
    }

    private static byte HexDigit(int nibble) => (byte)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);

    private static ReadOnlySpan<byte> Text(nint asn1String) =>
        asn1String == 0 ? default : new ReadOnlySpan<byte>(LibCrypto.ASN1_STRING_get0_data(asn1String), LibCrypto.ASN1_STRING_length(asn1String));

    /// <summary>Runs <paramref name="print"/> into a memory BIO and copies out what it wrote.</summary>
    private static byte[] Print(nint certificate, Func<nint, nint, bool> print)
    {
        var bio = LibCrypto.BIO_new(LibCrypto.BIO_s_mem());
        try
        {
            if (bio == 0 || !print(bio, certificate))
            {
                LibCrypto.ERR_clear_error();
                return [];
            }

            byte* data = null;
            var length = LibCrypto.BIO_ctrl(bio, BIO_CTRL_INFO, 0, (nint)(&data));
            return length <= 0 ? [] : new ReadOnlySpan<byte>(data, (int)length).ToArray();
        }
        finally
        {
            if (bio != 0)
            {
                LibCrypto.BIO_free(bio);
            }
        }
    }
}
