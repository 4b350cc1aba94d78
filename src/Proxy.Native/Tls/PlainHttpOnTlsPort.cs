using System.Buffers;
using MeshEdge.Codecs.Http1;

namespace MeshEdge.Native.Tls;

/// <summary>
/// A plaintext HTTP request on an HTTP listener's TLS port gets a 400 that says why before the close,
/// as nginx answers it ("The plain HTTP request was sent to HTTPS port"): a user who typed http://
/// sees the mistake instead of an empty reply. The first byte tells: every TLS connection starts with
/// a handshake record (0x16), and an HTTP request starts with an upper-case method token.
/// </summary>
internal static class PlainHttpOnTlsPort
{
    /// <summary>The whole reply, made once: status line, framing fields, close, body.</summary>
    private static readonly byte[] s_reply = MakeReply();

    /// <summary>
    /// When <paramref name="transport"/>'s first ciphertext is a plaintext request: queues the reply in
    /// its <see cref="TlsTransport.CipherOut"/> (sent as it is, unencrypted) and counts the failure as not_tls.
    /// </summary>
    public static unsafe bool TryAnswer(TlsTransport transport)
    {
        var head = transport.CipherIn.Head;
        if (head is null || head.Length == 0 || !LooksLikeMethod(*head.ReadPointer))
        {
            return false;
        }

        transport.Fail(TlsFailureReason.NotTls);
        transport.CipherIn.Clear(transport.Pool);
        transport.CipherOut.AppendCopy(s_reply, transport.Pool);
        return true;
    }

    private static bool LooksLikeMethod(byte first) => first is >= (byte)'A' and <= (byte)'Z';

    private static byte[] MakeReply()
    {
        var writer = new ArrayBufferWriter<byte>(256);
        Http1LocalReply.Write(writer, 400, "The plain HTTP request was sent to HTTPS port\n"u8, closeConnection: true);
        return writer.WrittenSpan.ToArray();
    }
}
