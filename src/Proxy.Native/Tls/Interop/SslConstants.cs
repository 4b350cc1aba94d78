namespace MeshEdge.Native.Tls.Interop;

/// <summary>OpenSSL 3's ABI numbers (ssl.h, tls1.h, bio.h, sslerr.h) for what MeshEdge uses; many of its "functions" are macros over these.</summary>
internal static class SslConstants
{
    public const int SSL_ERROR_NONE = 0;
    public const int SSL_ERROR_SSL = 1;
    public const int SSL_ERROR_WANT_READ = 2;
    public const int SSL_ERROR_WANT_WRITE = 3;
    public const int SSL_ERROR_SYSCALL = 5;
    public const int SSL_ERROR_ZERO_RETURN = 6;

    public const int SSL_FILETYPE_PEM = 1;
    public const int SSL_VERIFY_PEER = 0x01;
    public const int SSL_VERIFY_FAIL_IF_NO_PEER_CERT = 0x02;
    public const int TLSEXT_NAMETYPE_host_name = 0;

    public const int SSL_CTRL_MODE = 33;
    public const int SSL_CTRL_SET_SESS_CACHE_MODE = 44;
    public const int SSL_CTRL_SET_TLSEXT_SERVERNAME_CB = 53;
    public const int SSL_CTRL_SET_TLSEXT_SERVERNAME_ARG = 54;
    public const int SSL_CTRL_SET_MIN_PROTO_VERSION = 123;
    public const int SSL_CTRL_SET_MAX_PROTO_VERSION = 124;

    public const long SSL_MODE_ENABLE_PARTIAL_WRITE = 0x1;
    public const long SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER = 0x2;
    public const long SSL_MODE_RELEASE_BUFFERS = 0x10;
    public const long SSL_SESS_CACHE_OFF = 0;

    public const ulong SSL_OP_IGNORE_UNEXPECTED_EOF = 1UL << 7;
    public const ulong SSL_OP_NO_COMPRESSION = 1UL << 17;
    public const ulong SSL_OP_NO_RENEGOTIATION = 1UL << 30;
    public const ulong SSL_OP_NO_TICKET = 1UL << 14;
    public const ulong SSL_OP_PRIORITIZE_CHACHA = 1UL << 21;
    public const ulong SSL_OP_CIPHER_SERVER_PREFERENCE = 1UL << 22;

    public const int TLS1_2_VERSION = 0x0303;
    public const int TLS1_3_VERSION = 0x0304;

    public const int SSL_TLSEXT_ERR_OK = 0;
    public const int SSL_TLSEXT_ERR_NOACK = 3;
    public const int OPENSSL_NPN_NEGOTIATED = 1;

    public const int BIO_TYPE_SOURCE_SINK = 0x0400;
    public const int BIO_FLAGS_READ = 0x01;
    public const int BIO_FLAGS_WRITE = 0x02;
    public const int BIO_FLAGS_RWS = 0x07;
    public const int BIO_FLAGS_SHOULD_RETRY = 0x08;
    public const int BIO_CTRL_FLUSH = 11;

    /// <summary>ERR_GET_REASON's mask in OpenSSL 3 (err.h).</summary>
    public const ulong ERR_REASON_MASK = 0x7FFFFF;

    public const int SSL_R_CERTIFICATE_VERIFY_FAILED = 134;
    public const int SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE = 199;
    public const int SSL_R_HTTPS_PROXY_REQUEST = 155;
    public const int SSL_R_HTTP_REQUEST = 156;
    public const int SSL_R_NO_SHARED_CIPHER = 193;
    public const int SSL_R_NO_SHARED_GROUPS = 410;
    public const int SSL_R_NO_SUITABLE_SIGNATURE_ALGORITHM = 118;
    public const int SSL_R_PACKET_LENGTH_TOO_LONG = 198;
    public const int SSL_R_RECORD_LENGTH_MISMATCH = 213;
    public const int SSL_R_UNKNOWN_PROTOCOL = 252;
    public const int SSL_R_UNSUPPORTED_PROTOCOL = 258;
    public const int SSL_R_VERSION_TOO_HIGH = 166;
    public const int SSL_R_VERSION_TOO_LOW = 396;
    public const int SSL_R_WRONG_VERSION_NUMBER = 267;
    public const int SSL_R_TLSV1_ALERT_PROTOCOL_VERSION = 1070;
}
