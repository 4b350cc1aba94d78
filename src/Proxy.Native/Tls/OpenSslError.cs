using System.Text;
using MeshEdge.Native.Tls.Interop;
using static MeshEdge.Native.Tls.Interop.SslConstants;

namespace MeshEdge.Native.Tls;

/// <summary>
/// Reading OpenSSL's per-thread error queue. It must be emptied after every failure: a stale entry
/// would make the next <c>SSL_get_error</c> on this worker report a failure that is not its own.
/// </summary>
internal static unsafe class OpenSslError
{
    /// <summary>The first queued error as OpenSSL words it ("...:key values mismatch"), or a fallback; empties the queue.</summary>
    public static string DrainMessage(string fallback)
    {
        var first = LibCrypto.ERR_get_error();
        LibCrypto.ERR_clear_error();
        if (first == 0)
        {
            return fallback;
        }

        var buffer = stackalloc byte[256];
        LibCrypto.ERR_error_string_n(first, buffer, 256);
        var text = Encoding.ASCII.GetString(buffer, new ReadOnlySpan<byte>(buffer, 256).IndexOf((byte)0));

        // "error:05800074:x509 certificate routines::key values mismatch": the words after the last colon say it.
        var words = text[(text.LastIndexOf(':') + 1)..];
        return words.Length > 0 ? words : text;
    }

    /// <summary>Classifies the handshake failure at the head of the queue and empties it (no allocation).</summary>
    public static TlsFailureReason DrainHandshakeFailure()
    {
        var first = LibCrypto.ERR_get_error();
        LibCrypto.ERR_clear_error();
        return (int)(first & ERR_REASON_MASK) switch
        {
            SSL_R_HTTP_REQUEST or SSL_R_HTTPS_PROXY_REQUEST or SSL_R_WRONG_VERSION_NUMBER or SSL_R_PACKET_LENGTH_TOO_LONG
                or SSL_R_RECORD_LENGTH_MISMATCH or SSL_R_UNKNOWN_PROTOCOL => TlsFailureReason.NotTls,
            SSL_R_UNSUPPORTED_PROTOCOL or SSL_R_VERSION_TOO_LOW or SSL_R_VERSION_TOO_HIGH or SSL_R_TLSV1_ALERT_PROTOCOL_VERSION => TlsFailureReason.Version,
            SSL_R_NO_SHARED_CIPHER or SSL_R_NO_SHARED_GROUPS or SSL_R_NO_SUITABLE_SIGNATURE_ALGORITHM => TlsFailureReason.NoSharedCipher,
            SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE => TlsFailureReason.NoClientCertificate,
            SSL_R_CERTIFICATE_VERIFY_FAILED => TlsFailureReason.BadClientCertificate,
            _ => TlsFailureReason.Other,
        };
    }
}
