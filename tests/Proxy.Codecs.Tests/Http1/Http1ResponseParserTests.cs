using MeshEdge.Codecs.Http1;
using MeshEdge.Codecs.Tests.Http1.TestSupport;

namespace MeshEdge.Codecs.Tests.Http1;

public class Http1ResponseParserTests
{
    [Fact]
    public void Parses_status_line_fields_and_body()
    {
        var message = Http1Driver.Responses("HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 9\r\n\r\nnot found").Single;

        Assert.Equal("Http11 404 Not Found", message.StartLine);
        Assert.Equal("Content-Type=text/plain|Content-Length=9", message.Fields);
        Assert.Equal("not found", message.Body);
        Assert.True(message.KeepAlive);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 \r\n", "Http11 200 ")]
    [InlineData("HTTP/1.1 200\r\n", "Http11 200 ")]
    [InlineData("HTTP/1.0 503 Service Unavailable\r\n", "Http10 503 Service Unavailable")]
    public void Reason_phrase_is_optional(string statusLine, string expected)
    {
        Assert.Equal(expected, Http1Driver.Responses(statusLine + "Content-Length: 0\r\n\r\n").Single.StartLine);
    }

    [Theory]
    [InlineData(100, nameof(Http1Method.Get))]
    [InlineData(103, nameof(Http1Method.Get))]
    [InlineData(204, nameof(Http1Method.Get))]
    [InlineData(304, nameof(Http1Method.Get))]
    [InlineData(200, nameof(Http1Method.Head))]
    [InlineData(404, nameof(Http1Method.Head))]
    public void Has_no_body_whatever_its_framing_fields_say(int status, string methodName)
    {
        var method = Enum.Parse<Http1Method>(methodName);
        var outcome = Http1Driver.Responses($"HTTP/1.1 {status} X\r\nContent-Length: 50\r\nTransfer-Encoding: chunked\r\n\r\n", method);

        Assert.Equal(Http1BodyKind.None, outcome.Single.ResponseHead.Framing.Kind);
        Assert.True(outcome.Single.BodyComplete);
        Assert.True(outcome.Single.KeepAlive);
    }

    [Fact]
    public void Interim_responses_precede_the_final_one()
    {
        var outcome = Http1Driver.Responses("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok", Http1Method.Post);

        Assert.Equal([true, true, false], outcome.Messages.Select(m => m.ResponseHead.IsInterim));
        Assert.Equal("ok", outcome.Messages[2].Body);
    }

    [Theory]
    [InlineData(101, nameof(Http1Method.Get), true)]
    [InlineData(200, nameof(Http1Method.Connect), true)]
    [InlineData(407, nameof(Http1Method.Connect), false)]
    public void Switching_protocols_and_connect_become_tunnels(int status, string methodName, bool tunnel)
    {
        var method = Enum.Parse<Http1Method>(methodName);
        var head = Http1Driver.Responses($"HTTP/1.1 {status} X\r\nUpgrade: websocket\r\nConnection: upgrade\r\nContent-Length: 0\r\n\r\n", method).Single.ResponseHead;

        Assert.Equal(tunnel, head.IsTunnel);
        Assert.Equal(Http1BodyKind.None, head.Framing.Kind);
    }

    [Fact]
    public void Without_length_the_body_runs_until_close()
    {
        var message = Http1Driver.Responses("HTTP/1.1 200 OK\r\n\r\nall of this").Single;

        Assert.Equal(Http1BodyKind.UntilClose, message.ResponseHead.Framing.Kind);
        Assert.Equal("all of this", message.Body);
        Assert.False(message.KeepAlive);
        Assert.False(message.BodyComplete);
    }

    [Fact]
    public void Non_chunked_final_coding_runs_until_close()
    {
        var head = Http1Driver.Responses("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n").Single.ResponseHead;

        Assert.Equal(Http1BodyKind.UntilClose, head.Framing.Kind);
        Assert.False(head.KeepAlive);
    }

    [Fact]
    public void Keep_alive_follows_the_response_version()
    {
        Assert.False(Http1Driver.Responses("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n").Single.KeepAlive);
        Assert.True(Http1Driver.Responses("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n").Single.KeepAlive);
        Assert.False(Http1Driver.Responses("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n").Single.KeepAlive);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", nameof(Http1Error.ContentLengthWithTransferEncoding))]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\n\r\n", nameof(Http1Error.ConflictingContentLength))]
    [InlineData("HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", nameof(Http1Error.TransferEncodingInHttp10))]
    [InlineData("HTTP/1.1 20 OK\r\n\r\n", nameof(Http1Error.InvalidStatusLine))]
    [InlineData("HTTP/1.1 2000 OK\r\n\r\n", nameof(Http1Error.InvalidStatusLine))]
    [InlineData("HTTP/1.1  200 OK\r\n\r\n", nameof(Http1Error.InvalidStatusLine))]
    [InlineData("HTTP/1.1 200 O\u0001K\r\n\r\n", nameof(Http1Error.InvalidStatusLine))]
    [InlineData("HTTP/1.1 099 Low\r\n\r\n", nameof(Http1Error.InvalidStatusLine))]
    [InlineData("HTTX/1.1 200 OK\r\n\r\n", nameof(Http1Error.InvalidVersion))]
    [InlineData("\r\n", nameof(Http1Error.InvalidStatusLine))]
    [InlineData("HTTP/1.1 200 OK\n\r\n", nameof(Http1Error.BareLineFeed))]
    [InlineData("HTTP/1.1 200 OK\r\nX: a\r\n\tb\r\n\r\n", nameof(Http1Error.ObsFold))]
    public void Bad_responses_are_a_502(string response, string reason)
    {
        var error = Enum.Parse<Http1Error>(reason);
        var outcome = Http1Driver.Responses(response);

        Assert.Equal(error, outcome.Error);
        Assert.Equal(502, outcome.StatusToSend);
    }
}
