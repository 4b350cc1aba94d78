using System.Buffers;
using MeshEdge.Config.AccessLog;
using MeshEdge.Native.Tls;

namespace MeshEdge.Native.AccessLogs;

/// <summary>
/// Envoy's downstream TLS operators, read from the identity captured at the handshake: SAN lists
/// comma-separated, "-" for a plaintext connection or a client without a certificate.
/// </summary>
internal static class TlsLogFields
{
    public static void Write(IBufferWriter<byte> output, AccessLogField field, TlsPeerIdentity? peer)
    {
        switch (field)
        {
            case AccessLogField.DownstreamPeerUriSan:
                WriteList(output, peer?.UriSans);
                break;
            case AccessLogField.DownstreamPeerDnsSan:
                WriteList(output, peer?.DnsSans);
                break;
            case AccessLogField.DownstreamPeerSubject:
                AccessLogWriter.WriteOrDash(output, peer is null ? default : peer.Subject);
                break;
            case AccessLogField.DownstreamPeerFingerprint256:
                AccessLogWriter.WriteOrDash(output, peer is null ? default : peer.Fingerprint256);
                break;
            case AccessLogField.DownstreamTlsVersion:
                AccessLogWriter.WriteOrDash(output, peer is null ? default : peer.Version);
                break;
            case AccessLogField.DownstreamTlsCipher:
                AccessLogWriter.WriteOrDash(output, peer is null ? default : peer.Cipher);
                break;
        }
    }

    private static void WriteList(IBufferWriter<byte> output, byte[][]? values)
    {
        if (values is not { Length: > 0 })
        {
            output.Write("-"u8);
            return;
        }

        for (var i = 0; i < values.Length; i++)
        {
            if (i > 0)
            {
                output.Write(","u8);
            }

            output.Write(values[i]);
        }
    }
}
