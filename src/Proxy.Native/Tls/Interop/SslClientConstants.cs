namespace MeshEdge.Native.Tls.Interop;

/// <summary>OpenSSL 3's ABI numbers for the client role and certificate names (ssl.h, x509_vfy.h, x509v3.h, obj_mac.h).</summary>
internal static class SslClientConstants
{
    public const int SSL_CTRL_SET_TLSEXT_HOSTNAME = 55;
    public const long SSL_SESS_CACHE_CLIENT = 0x0001;
    public const long SSL_SESS_CACHE_NO_INTERNAL = 0x0300;
    public const int SSL_VERIFY_NONE = 0x00;
    public const int SSL_SENT_SHUTDOWN = 1;

    public const int X509_V_OK = 0;
    public const int X509_V_ERR_APPLICATION_VERIFICATION = 50;

    public const int NID_subject_alt_name = 85;
    public const int GEN_DNS = 2;
    public const int GEN_URI = 6;
}
