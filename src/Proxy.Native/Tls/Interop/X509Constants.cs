namespace MeshEdge.Native.Tls.Interop;

/// <summary>OpenSSL 3's numbers (x509v3.h, x509_vfy.h, obj_mac.h, evp.h, bio.h) for reading certificates.</summary>
internal static class X509Constants
{
    public const int NID_subject_alt_name = 85;
    public const int GEN_DNS = 2;
    public const int GEN_URI = 6;

    /// <summary>What our chain check reports for a certificate that verified but whose SANs match none of the listener's.</summary>
    public const int X509_V_ERR_APPLICATION_VERIFICATION = 50;

    /// <summary>XN_FLAG_RFC2253: "CN=client,O=Example", most specific first, as Envoy prints subjects.</summary>
    public const ulong XN_FLAG_RFC2253 = 0x317 | (1UL << 16) | (1UL << 20) | (1UL << 24);

    /// <summary>BIO_get_mem_data is BIO_ctrl(bio, BIO_CTRL_INFO, 0, &amp;pointer).</summary>
    public const int BIO_CTRL_INFO = 3;

    public const int EVP_PKEY_RSA = 6;
    public const int EVP_PKEY_EC = 408;
}
