using System.Buffers;
using System.Text;
using MeshEdge.Codecs.Http1;

namespace MeshEdge.Codecs.Tests.Http1;

public class Http1WriterTests
{
    [Fact]
    public void Writes_a_request_head()
    {
        var output = new ArrayBufferWriter<byte>();

        Http1Writer.WriteRequestLine(output, "GET"u8, "/x?y=1"u8, Http1Version.Http11);
        Http1Writer.WriteHeader(output, "Host"u8, "example.com"u8);
        Http1Writer.WriteHeader(output, "Content-Length"u8, 1234567890123);
        Http1Writer.WriteEndOfHeaders(output);

        Assert.Equal("GET /x?y=1 HTTP/1.1\r\nHost: example.com\r\nContent-Length: 1234567890123\r\n\r\n", Text(output));
    }

    [Theory]
    [InlineData(200, "HTTP/1.1 200 OK\r\n")]
    [InlineData(431, "HTTP/1.1 431 Request Header Fields Too Large\r\n")]
    [InlineData(599, "HTTP/1.1 599 \r\n")]
    public void Writes_status_lines_with_reason_phrases(int status, string expected)
    {
        var output = new ArrayBufferWriter<byte>();

        Http1Writer.WriteStatusLine(output, Http1Version.Http11, status);

        Assert.Equal(expected, Text(output));
    }

    [Fact]
    public void Writes_chunks_last_chunk_and_trailers()
    {
        var output = new ArrayBufferWriter<byte>();

        Http1Writer.WriteChunk(output, new byte[255]);
        Http1Writer.WriteChunk(output, "hi"u8);
        Http1Writer.WriteChunk(output, default);
        Http1Writer.WriteLastChunk(output);
        Http1Writer.WriteHeader(output, "X-Sum"u8, "9"u8);
        Http1Writer.WriteEndOfHeaders(output);

        var text = Text(output);
        Assert.StartsWith("ff\r\n", text);
        Assert.EndsWith("\r\n2\r\nhi\r\n0\r\nX-Sum: 9\r\n\r\n", text);
    }

    [Fact]
    public void Local_reply_is_complete_and_closes_when_asked()
    {
        var output = new ArrayBufferWriter<byte>();

        Http1LocalReply.Write(output, 404, "no route\n"u8, closeConnection: true);

        Assert.Equal("HTTP/1.1 404 Not Found\r\ncontent-type: text/plain\r\ncontent-length: 9\r\nconnection: close\r\n\r\nno route\n", Text(output));
    }

    [Fact]
    public void Local_reply_to_head_keeps_the_length_but_not_the_body()
    {
        var output = new ArrayBufferWriter<byte>();

        Http1LocalReply.Write(output, 503, "busy"u8, closeConnection: false, omitBody: true);

        Assert.Equal("HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain\r\ncontent-length: 4\r\n\r\n", Text(output));
    }

    [Fact]
    public void Parse_error_reply_uses_the_status_from_the_result()
    {
        var output = new ArrayBufferWriter<byte>();

        Http1LocalReply.WriteParseError(output, Http1ParseResult.Failed(Http1Error.TooManyHeaders, 0, 431));

        Assert.StartsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n", Text(output));
        Assert.Contains("connection: close\r\n", Text(output));
    }

    private static string Text(ArrayBufferWriter<byte> output) => Encoding.Latin1.GetString(output.WrittenSpan);
}
