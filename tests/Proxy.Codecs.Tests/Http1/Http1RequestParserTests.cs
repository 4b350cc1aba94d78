using MeshEdge.Codecs.Http1;
using MeshEdge.Codecs.Tests.Http1.TestSupport;

namespace MeshEdge.Codecs.Tests.Http1;

public class Http1RequestParserTests
{
    [Fact]
    public void Parses_a_simple_get()
    {
        var message = Http1Driver.Requests("GET /index.html?q=1 HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n\r\n").Single;

        Assert.Equal("GET /index.html?q=1 Http11", message.StartLine);
        Assert.Equal("Host=example.com|Accept=*/*", message.Fields);
        Assert.Equal(Http1BodyKind.None, message.Framing.Kind);
        Assert.True(message.KeepAlive);
        Assert.Equal(Http1Method.Get, message.RequestHead.Method);
    }

    [Fact]
    public void Reports_known_headers_and_trims_optional_whitespace()
    {
        var parser = new Http1RequestParser(Http1ParserLimits.Default);
        var handler = new RecordingHandler();
        var input = SegmentedSequence.Create("PATCH /x HTTP/1.1\r\nhOsT:   a.b \t\r\nX-Custom:v\r\ncontent-length: 0\r\n\r\n"u8.ToArray());

        var result = parser.Parse(ref handler, input);

        Assert.Equal(Http1ParseStatus.Complete, result.Status);
        Assert.Equal(input.Length, result.Consumed);
        Assert.Equal(
            [(Http1KnownHeader.Host, "hOsT", "a.b"), (Http1KnownHeader.Unknown, "X-Custom", "v"), (Http1KnownHeader.ContentLength, "content-length", "0")],
            handler.Fields);
        Assert.Equal(Http1Method.Patch, handler.Method);
    }

    [Fact]
    public void Content_length_body_is_framed()
    {
        var message = Http1Driver.Requests("POST /submit HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\nhello world").Single;

        Assert.Equal(Http1BodyKind.ContentLength, message.Framing.Kind);
        Assert.Equal(11, message.Framing.ContentLength);
        Assert.Equal("hello world", message.Body);
        Assert.True(message.BodyComplete);
    }

    [Fact]
    public void Identical_content_length_values_are_accepted_as_one()
    {
        var message = Http1Driver.Requests("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3, 3\r\nContent-Length: 3\r\n\r\nabc").Single;

        Assert.Equal(3, message.Framing.ContentLength);
    }

    [Fact]
    public void Chunked_body_with_extensions_and_trailers()
    {
        var message = Http1Driver.Requests(
            "POST /up HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n"
            + "5;name=value\r\nhello\r\n6 ; a=\"b c\"\r\n world\r\nA\r\n0123456789\r\n0\r\nX-Sum: 42\r\nX-Other: y\r\n\r\n").Single;

        Assert.Equal(Http1BodyKind.Chunked, message.Framing.Kind);
        Assert.Equal("hello world0123456789", message.Body);
        Assert.Equal("X-Sum=42|X-Other=y", message.Trailers);
        Assert.True(message.BodyComplete);
    }

    [Fact]
    public void Transfer_codings_are_case_insensitive_and_may_span_field_lines()
    {
        var message = Http1Driver.Requests(
            "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: , CHUNKED\r\n\r\n3\r\nabc\r\n0\r\n\r\n").Single;

        Assert.Equal(Http1BodyKind.Chunked, message.Framing.Kind);
        Assert.Equal("abc", message.Body);
    }

    [Fact]
    public void Pipelined_requests_are_parsed_one_at_a_time()
    {
        const string first = "GET /a HTTP/1.1\r\nHost: h\r\n\r\n";
        const string second = "POST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nok";
        const string third = "GET /c HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n";
        var parser = new Http1RequestParser(Http1ParserLimits.Default);
        var handler = new RecordingHandler();

        var result = parser.Parse(ref handler, SegmentedSequence.Create(System.Text.Encoding.ASCII.GetBytes(first + second + third)));

        Assert.Equal(Http1ParseStatus.Complete, result.Status);
        Assert.Equal(first.Length, result.Consumed);

        var outcome = Http1Driver.Requests(first + second + third);
        Assert.Equal(["GET /a Http11", "POST /b Http11", "GET /c Http11"], outcome.Messages.Select(m => m.StartLine));
        Assert.Equal("ok", outcome.Messages[1].Body);
        Assert.Equal([true, true, false], outcome.Messages.Select(m => m.KeepAlive));
        Assert.False(outcome.EndedMidMessage);
    }

    [Fact]
    public void Need_more_data_reports_whole_lines_consumed()
    {
        var parser = new Http1RequestParser(Http1ParserLimits.Default);
        var handler = new RecordingHandler();

        var first = parser.Parse(ref handler, SegmentedSequence.Create("GET / HTTP/1.1\r\nHost: h\r\nAcc"u8.ToArray()));
        var second = parser.Parse(ref handler, SegmentedSequence.Create("Accept: x\r\n\r\n"u8.ToArray()));

        Assert.Equal(Http1ParseStatus.NeedMoreData, first.Status);
        Assert.Equal("GET / HTTP/1.1\r\nHost: h\r\n".Length, first.Consumed);
        Assert.Equal(Http1ParseStatus.Complete, second.Status);
        Assert.Equal("Accept: x\r\n\r\n".Length, second.Consumed);
        Assert.Equal(2, handler.Fields.Count);
    }

    [Fact]
    public void Empty_lines_before_the_request_line_are_skipped()
    {
        var message = Http1Driver.Requests("\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n").Single;

        Assert.Equal("GET / Http11", message.StartLine);
    }

    [Theory]
    [InlineData("HTTP/1.1", "", true)]
    [InlineData("HTTP/1.1", "Connection: close\r\n", false)]
    [InlineData("HTTP/1.1", "Connection: keep-alive, CLOSE\r\n", false)]
    [InlineData("HTTP/1.0", "", false)]
    [InlineData("HTTP/1.0", "Connection: Keep-Alive\r\n", true)]
    [InlineData("HTTP/1.0", "Connection: foo\r\nConnection: keep-alive\r\n", true)]
    public void Keep_alive_follows_the_version_and_connection_options(string version, string fields, bool keepAlive)
    {
        var message = Http1Driver.Requests($"GET / {version}\r\nHost: h\r\n{fields}\r\n").Single;

        Assert.Equal(keepAlive, message.KeepAlive);
    }

    [Theory]
    [InlineData("HTTP/1.1", "100-continue", true)]
    [InlineData("HTTP/1.1", "100-Continue", true)]
    [InlineData("HTTP/1.0", "100-continue", false)]
    [InlineData("HTTP/1.1", "something-else", false)]
    public void Expect_continue_is_flagged_only_for_http11(string version, string expectation, bool flagged)
    {
        var message = Http1Driver.Requests($"POST / {version}\r\nHost: h\r\nExpect: {expectation}\r\nContent-Length: 1\r\n\r\nx").Single;

        Assert.Equal(flagged, message.ExpectContinue);
    }

    [Fact]
    public void Websocket_upgrade_is_flagged_and_hop_by_hop_fields_are_identified()
    {
        var outcome = Http1Driver.Requests(
            "GET /chat HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade, X-Private\r\n"
            + "X-Private: 1\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nKeep-Alive: timeout=5\r\nTE: trailers\r\n"
            + "Proxy-Connection: keep-alive\r\nTrailer: X\r\n\r\n");
        var message = outcome.Single;

        Assert.True(message.IsUpgrade);
        Assert.Equal(
            Http1ConnectionOptions.Upgrade | Http1ConnectionOptions.NamesOtherHeaders,
            message.RequestHead.ConnectionOptions);
        Assert.True(Http1ConnectionTokens.Lists("Upgrade, X-Private"u8, "x-private"u8));
        Assert.False(Http1ConnectionTokens.Lists("Upgrade, X-Private"u8, "Sec-WebSocket-Key"u8));
    }

    [Fact]
    public void Upgrade_needs_the_connection_option_and_http11()
    {
        Assert.False(Http1Driver.Requests("GET / HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\n\r\n").Single.IsUpgrade);
        Assert.False(Http1Driver.Requests("GET / HTTP/1.0\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n").Single.IsUpgrade);
    }

    [Theory]
    [InlineData("OPTIONS * HTTP/1.1", nameof(Http1Method.Options))]
    [InlineData("CONNECT example.com:443 HTTP/1.1", nameof(Http1Method.Connect))]
    [InlineData("GET http://example.com/x HTTP/1.1", nameof(Http1Method.Get))]
    [InlineData("PURGE /cache HTTP/1.1", nameof(Http1Method.Custom))]
    [InlineData("GET / HTTP/1.9", nameof(Http1Method.Get))]
    public void Accepts_every_request_target_form(string requestLine, string methodName)
    {
        var method = Enum.Parse<Http1Method>(methodName);
        var message = Http1Driver.Requests($"{requestLine}\r\nHost: example.com\r\n\r\n").Single;

        Assert.Equal(method, message.RequestHead.Method);
        Assert.Equal(Http1Version.Http11, message.RequestHead.Version);
    }

    [Fact]
    public void Http10_needs_no_host_and_obs_text_values_pass()
    {
        var message = Http1Driver.Requests("GET / HTTP/1.0\r\nX-Name: caf\u00e9\tau lait\r\n\r\n").Single;

        Assert.Equal("X-Name=caf\u00e9\tau lait", message.Fields);
    }

    [Fact]
    public void Parsing_after_completion_without_reset_is_a_bug()
    {
        var parser = new Http1RequestParser(Http1ParserLimits.Default);
        var handler = new RecordingHandler();
        var input = SegmentedSequence.Create("GET / HTTP/1.0\r\n\r\n"u8.ToArray());
        parser.Parse(ref handler, input);

        var threw = false;
        try
        {
            parser.Parse(ref handler, input);
        }
        catch (InvalidOperationException)
        {
            threw = true;
        }

        Assert.True(threw);
    }
}
