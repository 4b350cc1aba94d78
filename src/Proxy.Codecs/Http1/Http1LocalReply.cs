using System.Buffers;

namespace MeshEdge.Codecs.Http1;

/// <summary>
/// A reply the proxy makes itself (a rejected request, no route, an upstream failure): a status line,
/// a short plain-text body and the framing fields, and nothing the client could mistake for more.
/// </summary>
internal static class Http1LocalReply
{
    /// <param name="closeConnection">Adds "Connection: close"; after a parse error the connection must close.</param>
    /// <param name="omitBody">For a reply to HEAD: the fields describe the body, which is not sent.</param>
    public static void Write(IBufferWriter<byte> output, int statusCode, ReadOnlySpan<byte> body, bool closeConnection, bool omitBody = false)
    {
        Http1Writer.WriteStatusLine(output, Http1Version.Http11, statusCode);
        if (!body.IsEmpty)
        {
            Http1Writer.WriteHeader(output, "content-type"u8, "text/plain"u8);
        }

        Http1Writer.WriteHeader(output, "content-length"u8, body.Length);
        if (closeConnection)
        {
            Http1Writer.WriteHeader(output, "connection"u8, "close"u8);
        }

        Http1Writer.WriteEndOfHeaders(output);
        if (!omitBody)
        {
            Http1Writer.Write(output, body);
        }
    }

    /// <summary>The reply to a request the parser rejected: its status, its reason phrase as the body, and a close.</summary>
    public static void WriteParseError(IBufferWriter<byte> output, in Http1ParseResult result)
    {
        var status = result.StatusToSend == 0 ? 400 : result.StatusToSend;
        Write(output, status, Http1ReasonPhrases.For(status), closeConnection: true);
    }
}
