using MeshEdge.Codecs.Http1;

namespace MeshEdge.Codecs.Tests.Http1;

/// <summary>
/// Requests a strict proxy must refuse, each with the reason and the status it must answer with.
/// Shared by the corpus test and the split-everywhere test (a rejection must not depend on where the
/// input was cut). "{H}" stands for a valid Host field line.
/// </summary>
internal static class MalformedRequestCorpus
{
    private const string H = "Host: h\r\n";

    public static TheoryData<string, string, int> Cases => new()
    {
        // CL.TE and TE.CL: both framings present.
        { $"POST / HTTP/1.1\r\n{H}Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nX", nameof(Http1Error.ContentLengthWithTransferEncoding), 400 },
        { $"POST / HTTP/1.1\r\n{H}Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n8\r\nSMUGGLED\r\n0\r\n\r\n", nameof(Http1Error.ContentLengthWithTransferEncoding), 400 },

        // TE.TE: obfuscated Transfer-Encoding that one parser honours and another ignores.
        { $"POST / HTTP/1.1\r\n{H}Transfer-Encoding: xchunked\r\n\r\n", nameof(Http1Error.UnknownTransferCoding), 501 },
        { $"POST / HTTP/1.1\r\n{H}Transfer-Encoding : chunked\r\n\r\n", nameof(Http1Error.WhitespaceBeforeColon), 400 },
        { $"POST / HTTP/1.1\r\n{H}Transfer-Encoding\t: chunked\r\n\r\n", nameof(Http1Error.WhitespaceBeforeColon), 400 },
        { $"POST / HTTP/1.1\r\n{H}Transfer-Encoding: chunked, identity\r\n\r\n", nameof(Http1Error.ChunkedNotLast), 400 },
        { $"POST / HTTP/1.1\r\n{H}Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n", nameof(Http1Error.ChunkedNotLast), 400 },
        { $"POST / HTTP/1.1\r\n{H}Transfer-Encoding: chunked, chunked\r\n\r\n", nameof(Http1Error.ChunkedNotLast), 400 },
        { $"POST / HTTP/1.1\r\n{H}Transfer-Encoding: gzip\r\n\r\n", nameof(Http1Error.ChunkedNotLast), 400 },
        { $"POST / HTTP/1.1\r\n{H}Transfer-Encoding: identity\r\n\r\n", nameof(Http1Error.UnknownTransferCoding), 501 },
        { $"POST / HTTP/1.1\r\n{H}Transfer-Encoding: chunked;ext=1\r\n\r\n", nameof(Http1Error.InvalidTransferEncoding), 400 },
        { $"POST / HTTP/1.1\r\n{H}Transfer-Encoding: \"chunked\"\r\n\r\n", nameof(Http1Error.InvalidTransferEncoding), 400 },
        { $"POST / HTTP/1.1\r\n{H}Transfer-Encoding: ,\r\n\r\n", nameof(Http1Error.InvalidTransferEncoding), 400 },
        { $"POST / HTTP/1.1\r\n{H}Transfer-Encoding:\r\n\r\n", nameof(Http1Error.InvalidTransferEncoding), 400 },
        { $"POST / HTTP/1.1\r\n{H}Transfer-Encoding: chunked\r\n \tidentity\r\n\r\n", nameof(Http1Error.ObsFold), 400 },
        { $"POST / HTTP/1.1\r\n{H}Transfer-Encoding: \vchunked\r\n\r\n", nameof(Http1Error.InvalidFieldValue), 400 },
        { $"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", nameof(Http1Error.TransferEncodingInHttp10), 400 },

        // Content-Length that parsers read differently.
        { $"POST / HTTP/1.1\r\n{H}Content-Length: +5\r\n\r\nhello", nameof(Http1Error.InvalidContentLength), 400 },
        { $"POST / HTTP/1.1\r\n{H}Content-Length: -1\r\n\r\n", nameof(Http1Error.InvalidContentLength), 400 },
        { $"POST / HTTP/1.1\r\n{H}Content-Length: 0x5\r\n\r\nhello", nameof(Http1Error.InvalidContentLength), 400 },
        { $"POST / HTTP/1.1\r\n{H}Content-Length: 5 5\r\n\r\nhello", nameof(Http1Error.InvalidContentLength), 400 },
        { $"POST / HTTP/1.1\r\n{H}Content-Length: 5.0\r\n\r\nhello", nameof(Http1Error.InvalidContentLength), 400 },
        { $"POST / HTTP/1.1\r\n{H}Content-Length:\r\n\r\n", nameof(Http1Error.InvalidContentLength), 400 },
        { $"POST / HTTP/1.1\r\n{H}Content-Length: 99999999999999999999\r\n\r\n", nameof(Http1Error.InvalidContentLength), 400 },
        { $"POST / HTTP/1.1\r\n{H}Content-Length: 9223372036854775808\r\n\r\n", nameof(Http1Error.InvalidContentLength), 400 },
        { $"POST / HTTP/1.1\r\n{H}Content-Length: 5, 6\r\n\r\nhello!", nameof(Http1Error.ConflictingContentLength), 400 },
        { $"POST / HTTP/1.1\r\n{H}Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", nameof(Http1Error.ConflictingContentLength), 400 },

        // Line structure.
        { $"GET / HTTP/1.1\n{H}\r\n", nameof(Http1Error.BareLineFeed), 400 },
        { $"GET / HTTP/1.1\r\nHost: h\n\r\n", nameof(Http1Error.BareLineFeed), 400 },
        { $"GET / HTTP/1.1\r\n{H}\n", nameof(Http1Error.BareLineFeed), 400 },
        { $"GET / HTTP/1.1\r\n{H}X: a\rb\r\n\r\n", nameof(Http1Error.InvalidFieldValue), 400 },
        { $"GET / HTTP/1.1\r\n{H}X-Folded: a\r\n  b\r\n\r\n", nameof(Http1Error.ObsFold), 400 },
        { $"GET / HTTP/1.1\r\n Host: h\r\n\r\n", nameof(Http1Error.ObsFold), 400 },
        { $"GET / HTTP/1.1\r\n{H}Bad Name: x\r\n\r\n", nameof(Http1Error.InvalidFieldName), 400 },
        { $"GET / HTTP/1.1\r\n{H}Bad(Name): x\r\n\r\n", nameof(Http1Error.InvalidFieldName), 400 },
        { $"GET / HTTP/1.1\r\n{H}: no-name\r\n\r\n", nameof(Http1Error.InvalidFieldName), 400 },
        { $"GET / HTTP/1.1\r\n{H}NoColon\r\n\r\n", nameof(Http1Error.MissingColon), 400 },
        { $"GET / HTTP/1.1\r\n{H}X: bell\u0007\r\n\r\n", nameof(Http1Error.InvalidFieldValue), 400 },
        { $"GET / HTTP/1.1\r\n{H}X: del\u007f\r\n\r\n", nameof(Http1Error.InvalidFieldValue), 400 },

        // NUL anywhere.
        { $"G\0T / HTTP/1.1\r\n{H}\r\n", nameof(Http1Error.NulCharacter), 400 },
        { $"GET /\0 HTTP/1.1\r\n{H}\r\n", nameof(Http1Error.NulCharacter), 400 },
        { $"GET / HTTP/1.1\0\r\n{H}\r\n", nameof(Http1Error.NulCharacter), 400 },
        { $"GET / HTTP/1.1\r\n{H}X\0: v\r\n\r\n", nameof(Http1Error.NulCharacter), 400 },
        { $"GET / HTTP/1.1\r\n{H}X: v\0v\r\n\r\n", nameof(Http1Error.NulCharacter), 400 },

        // Request line.
        { $"G@T / HTTP/1.1\r\n{H}\r\n", nameof(Http1Error.InvalidMethod), 400 },
        { $" GET / HTTP/1.1\r\n{H}\r\n", nameof(Http1Error.InvalidMethod), 400 },
        { $"GET  / HTTP/1.1\r\n{H}\r\n", nameof(Http1Error.InvalidRequestTarget), 400 },
        { $"GET /a b HTTP/1.1\r\n{H}\r\n", nameof(Http1Error.InvalidVersion), 400 },
        { $"GET /caf\u00e9 HTTP/1.1\r\n{H}\r\n", nameof(Http1Error.InvalidRequestTarget), 400 },
        { $"GET * HTTP/1.1\r\n{H}\r\n", nameof(Http1Error.InvalidRequestTarget), 400 },
        { $"GET example.com HTTP/1.1\r\n{H}\r\n", nameof(Http1Error.InvalidRequestTarget), 400 },
        { $"CONNECT /path HTTP/1.1\r\n{H}\r\n", nameof(Http1Error.InvalidRequestTarget), 400 },
        { "GET /\r\n\r\n", nameof(Http1Error.InvalidVersion), 400 },
        { $"GET / http/1.1\r\n{H}\r\n", nameof(Http1Error.InvalidVersion), 400 },
        { $"GET / HTTP/1.1 \r\n{H}\r\n", nameof(Http1Error.InvalidVersion), 400 },
        { $"GET / HTTP/11\r\n{H}\r\n", nameof(Http1Error.InvalidVersion), 400 },
        { $"GET / HTTP/0.9\r\n{H}\r\n", nameof(Http1Error.InvalidVersion), 400 },
        { $"GET / HTTP/2.0\r\n{H}\r\n", nameof(Http1Error.UnsupportedVersion), 505 },

        // Host.
        { "GET / HTTP/1.1\r\n\r\n", nameof(Http1Error.MissingHost), 400 },
        { $"GET / HTTP/1.1\r\n{H}Host: other\r\n\r\n", nameof(Http1Error.MultipleHost), 400 },
        { "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", nameof(Http1Error.InvalidHost), 400 },
        { "GET / HTTP/1.1\r\nHost: user@h\r\n\r\n", nameof(Http1Error.InvalidHost), 400 },

        // Bad chunked bodies after a good head.
        { $"POST / HTTP/1.1\r\n{H}Transfer-Encoding: chunked\r\n\r\nZ\r\n", nameof(Http1Error.InvalidChunkSize), 0 },
        { $"POST / HTTP/1.1\r\n{H}Transfer-Encoding: chunked\r\n\r\n-1\r\n", nameof(Http1Error.InvalidChunkSize), 0 },
        { $"POST / HTTP/1.1\r\n{H}Transfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n", nameof(Http1Error.InvalidChunkSize), 0 },
        { $"POST / HTTP/1.1\r\n{H}Transfer-Encoding: chunked\r\n\r\n5 6\r\nhello\r\n", nameof(Http1Error.InvalidChunkSize), 0 },
        { $"POST / HTTP/1.1\r\n{H}Transfer-Encoding: chunked\r\n\r\n\r\n", nameof(Http1Error.InvalidChunkSize), 0 },
        { $"POST / HTTP/1.1\r\n{H}Transfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFF\r\n", nameof(Http1Error.ChunkSizeOverflow), 0 },
        { $"POST / HTTP/1.1\r\n{H}Transfer-Encoding: chunked\r\n\r\n5\r\nhelloXX0\r\n\r\n", nameof(Http1Error.MissingChunkCrlf), 0 },
        { $"POST / HTTP/1.1\r\n{H}Transfer-Encoding: chunked\r\n\r\n5\r\nhello\n0\r\n\r\n", nameof(Http1Error.MissingChunkCrlf), 0 },
        { $"POST / HTTP/1.1\r\n{H}Transfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n", nameof(Http1Error.BareLineFeed), 0 },
        { $"POST / HTTP/1.1\r\n{H}Transfer-Encoding: chunked\r\n\r\n5;a\u0001\r\nhello\r\n", nameof(Http1Error.InvalidChunkExtension), 0 },
        { $"POST / HTTP/1.1\r\n{H}Transfer-Encoding: chunked\r\n\r\n0\r\nX: a\r\n b\r\n\r\n", nameof(Http1Error.ObsFold), 0 },
        { $"POST / HTTP/1.1\r\n{H}Transfer-Encoding: chunked\r\n\r\n0\r\n\n", nameof(Http1Error.BareLineFeed), 0 },
    };
}
