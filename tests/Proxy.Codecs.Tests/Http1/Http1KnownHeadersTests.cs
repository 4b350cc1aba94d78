using System.Text;
using MeshEdge.Codecs.Http1;

namespace MeshEdge.Codecs.Tests.Http1;

public class Http1KnownHeadersTests
{
    [Theory]
    [InlineData("Host", nameof(Http1KnownHeader.Host), false)]
    [InlineData("CONTENT-LENGTH", nameof(Http1KnownHeader.ContentLength), false)]
    [InlineData("transfer-encoding", nameof(Http1KnownHeader.TransferEncoding), true)]
    [InlineData("Connection", nameof(Http1KnownHeader.Connection), true)]
    [InlineData("Keep-Alive", nameof(Http1KnownHeader.KeepAlive), true)]
    [InlineData("Proxy-Connection", nameof(Http1KnownHeader.ProxyConnection), true)]
    [InlineData("TE", nameof(Http1KnownHeader.TE), true)]
    [InlineData("Trailer", nameof(Http1KnownHeader.Trailer), true)]
    [InlineData("Upgrade", nameof(Http1KnownHeader.Upgrade), true)]
    [InlineData("Expect", nameof(Http1KnownHeader.Expect), false)]
    [InlineData("X-Request-Id", nameof(Http1KnownHeader.XRequestId), false)]
    [InlineData("X-Forwarded-For", nameof(Http1KnownHeader.XForwardedFor), false)]
    [InlineData("Hosts", nameof(Http1KnownHeader.Unknown), false)]
    [InlineData("Content-Lengt", nameof(Http1KnownHeader.Unknown), false)]
    public void Names_are_recognised_case_insensitively(string name, string known, bool hopByHop)
    {
        var expected = Enum.Parse<Http1KnownHeader>(known);
        var header = Http1KnownHeaders.Classify(Encoding.ASCII.GetBytes(name));

        Assert.Equal(expected, header);
        Assert.Equal(hopByHop, Http1KnownHeaders.IsHopByHop(header));
    }

    [Fact]
    public void Every_known_header_is_reachable()
    {
        foreach (var header in Enum.GetValues<Http1KnownHeader>().Where(h => h != Http1KnownHeader.Unknown))
        {
            var name = header switch
            {
                Http1KnownHeader.TE => "te",
                _ => string.Concat(header.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? "-" + c : c.ToString())),
            };

            Assert.Equal(header, Http1KnownHeaders.Classify(Encoding.ASCII.GetBytes(name)));
        }
    }

    [Fact]
    public void Lowercase_names_classify_as_any_case_does_and_only_lowercase_ones_match()
    {
        foreach (var header in Enum.GetValues<Http1KnownHeader>().Where(h => h != Http1KnownHeader.Unknown))
        {
            var name = string.Concat(header.ToString().Select((c, i) => i > 0 && char.IsUpper(c) && header != Http1KnownHeader.TE ? "-" + c : c.ToString()));
            var lower = Encoding.ASCII.GetBytes(name.ToLowerInvariant());

            Assert.Equal(header, Http1KnownHeaders.ClassifyLowercase(lower));
            Assert.Equal(Http1KnownHeaders.Classify(lower), Http1KnownHeaders.ClassifyLowercase(lower));

            // An HTTP/2 name is never anything but lowercase (the frame layer refuses others): a
            // mixed-case one is no known header here, rather than folded.
            Assert.Equal(Http1KnownHeader.Unknown, Http1KnownHeaders.ClassifyLowercase(Encoding.ASCII.GetBytes(name.ToUpperInvariant())));
        }
    }

    [Theory]
    [InlineData("close", (int)(Http1ConnectionOptions.Close))]
    [InlineData(" Keep-Alive , ,Upgrade", (int)(Http1ConnectionOptions.KeepAlive | Http1ConnectionOptions.Upgrade))]
    [InlineData("x-custom, CLOSE", (int)(Http1ConnectionOptions.Close | Http1ConnectionOptions.NamesOtherHeaders))]
    [InlineData("", (int)(Http1ConnectionOptions.None))]
    public void Connection_options_are_parsed_as_a_list(string value, int options)
    {
        var expected = (Http1ConnectionOptions)options;
        Assert.Equal(expected, Http1ConnectionTokens.Parse(Encoding.ASCII.GetBytes(value)));
    }
}
