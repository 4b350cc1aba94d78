using MeshEdge.Codecs.Http1;
using MeshEdge.Codecs.Tests.Http1.TestSupport;

namespace MeshEdge.Codecs.Tests.Http1;

public class LimitTests
{
    private static readonly Http1ParserLimits Small = new(maxStartLineBytes: 32, maxHeaderBytes: 64, maxHeaderCount: 3);

    [Fact]
    public void A_long_target_gets_414_even_before_the_line_ends()
    {
        var target = "/" + new string('a', 40);

        Assert.Equal((Http1Error.UriTooLong, 414), Reject($"GET {target} HTTP/1.1\r\nHost: h\r\n\r\n"));
        Assert.Equal((Http1Error.UriTooLong, 414), Reject($"GET {target}"));
    }

    [Fact]
    public void A_long_method_gets_400()
    {
        Assert.Equal((Http1Error.StartLineTooLong, 400), Reject(new string('M', 40)));
    }

    [Fact]
    public void A_start_line_at_the_limit_passes()
    {
        var line = "GET /" + new string('a', 32 - 2 - "GET / HTTP/1.1".Length) + " HTTP/1.1";
        Assert.Equal(30, line.Length);

        var outcome = Http1Driver.Requests($"{line}\r\nHost: h\r\n\r\n", Small);

        Assert.Equal(Http1Error.None, outcome.Error);
        Assert.Equal((Http1Error.UriTooLong, 414), Reject($"GET /a{line[5..]}\r\nHost: h\r\n\r\n"));
    }

    [Fact]
    public void A_header_section_over_the_byte_limit_gets_431()
    {
        Assert.Equal((Http1Error.HeaderSectionTooLarge, 431), Reject($"GET / HTTP/1.1\r\nHost: h\r\nX: {new string('v', 60)}\r\n\r\n"));
        Assert.Equal((Http1Error.HeaderSectionTooLarge, 431), Reject($"GET / HTTP/1.1\r\nHost: h\r\nX: {new string('v', 60)}"));
    }

    [Fact]
    public void A_header_section_exactly_at_the_byte_limit_passes()
    {
        // 64 bytes: "Host: h\r\n" (9) + "X: " + value + "\r\n" + "\r\n".
        var fields = "Host: h\r\nX: " + new string('v', 64 - 9 - 3 - 2 - 2) + "\r\n\r\n";
        Assert.Equal(64, fields.Length);

        Assert.Equal(Http1Error.None, Http1Driver.Requests("GET / HTTP/1.1\r\n" + fields, Small).Error);
    }

    [Fact]
    public void Too_many_fields_get_431()
    {
        Assert.Equal(Http1Error.None, Http1Driver.Requests("GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\n\r\n", Small).Error);
        Assert.Equal((Http1Error.TooManyHeaders, 431), Reject("GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n"));
    }

    [Fact]
    public void Endless_empty_lines_before_a_request_are_cut_off()
    {
        Assert.Equal((Http1Error.StartLineTooLong, 400), Reject(string.Concat(Enumerable.Repeat("\r\n", 20))));
    }

    [Fact]
    public void Trailers_count_against_the_header_limits()
    {
        var request = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nT: " + new string('t', 130) + "\r\n\r\n";

        Assert.Equal(Http1Error.HeaderSectionTooLarge, Http1Driver.Requests(request, new Http1ParserLimits(64, 128, 10)).Error);
    }

    private static (Http1Error, int) Reject(string request)
    {
        var outcome = Http1Driver.Requests(request, Small);
        return (outcome.Error, outcome.StatusToSend);
    }
}
