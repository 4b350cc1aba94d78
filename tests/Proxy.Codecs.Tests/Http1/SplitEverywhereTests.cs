using MeshEdge.Codecs.Http1;
using MeshEdge.Codecs.Tests.Http1.TestSupport;

namespace MeshEdge.Codecs.Tests.Http1;

/// <summary>
/// A block chain may cut a message anywhere: inside a token, between CR and LF, inside a chunk size.
/// Every cut, as a segment boundary and as a pause between reads, must give the same messages.
/// </summary>
public class SplitEverywhereTests
{
    public static TheoryData<string> ValidRequests => new()
    {
        "GET /index.html HTTP/1.1\r\nHost: example.com\r\nUser-Agent: curl/8.0\r\nAccept: */*\r\n\r\n",
        "POST /api/items?id=7 HTTP/1.1\r\nHost: api\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{\"name\":\"x\"}\n",
        "PUT /f HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n4;x=y\r\nWiki\r\n5\r\npedia\r\n0\r\nChecksum: abc\r\n\r\n",
        "GET /a HTTP/1.1\r\nHost: h\r\n\r\nPOST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nxyzGET /c HTTP/1.0\r\n\r\n",
        "\r\nGET /ws HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: upgrade\r\nExpect: 100-continue\r\n\r\n",
    };

    public static TheoryData<string, string> ValidResponses => new()
    {
        { "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nServer: nginx\r\n\r\nhello", nameof(Http1Method.Get) },
        { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-T: 1\r\n\r\n", nameof(Http1Method.Get) },
        { "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n", nameof(Http1Method.Post) },
        { "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nHTTP/1.1 304 Not Modified\r\nContent-Length: 7\r\n\r\n", nameof(Http1Method.Head) },
        { "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end", nameof(Http1Method.Get) },
    };

    [Theory]
    [MemberData(nameof(ValidRequests))]
    public void Requests_parse_the_same_at_every_cut(string request)
    {
        var whole = Http1Driver.Requests(request);
        Assert.Equal(Http1Error.None, whole.Error);
        Assert.False(whole.EndedMidMessage);
        var expected = whole.Describe();

        for (var cut = 1; cut < request.Length; cut++)
        {
            Assert.Equal(expected, Http1Driver.Requests(request, cuts: [cut]).Describe());
            Assert.Equal(expected, Http1Driver.Requests(request, arrivals: [cut]).Describe());
        }

        var everyByte = SegmentedSequence.EveryByte(request.Length);
        Assert.Equal(expected, Http1Driver.Requests(request, cuts: everyByte).Describe());
        Assert.Equal(expected, Http1Driver.Requests(request, arrivals: everyByte).Describe());
    }

    [Theory]
    [MemberData(nameof(ValidResponses))]
    public void Responses_parse_the_same_at_every_cut(string response, string methodName)
    {
        var method = Enum.Parse<Http1Method>(methodName);
        var expected = Http1Driver.Responses(response, method).Describe();
        Assert.DoesNotContain("error=None status=0 consumed=0", expected);

        for (var cut = 1; cut < response.Length; cut++)
        {
            Assert.Equal(expected, Http1Driver.Responses(response, method, cuts: [cut]).Describe());
            Assert.Equal(expected, Http1Driver.Responses(response, method, arrivals: [cut]).Describe());
        }

        var everyByte = SegmentedSequence.EveryByte(response.Length);
        Assert.Equal(expected, Http1Driver.Responses(response, method, cuts: everyByte).Describe());
        Assert.Equal(expected, Http1Driver.Responses(response, method, arrivals: everyByte).Describe());
    }
}
