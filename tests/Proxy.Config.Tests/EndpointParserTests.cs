using System.Net;
using MeshEdge.Config.Values;

namespace MeshEdge.Config.Tests;

public sealed class EndpointParserTests
{
    [Theory]
    [InlineData("127.0.0.1:10000", "127.0.0.1", 10000)]
    [InlineData("0.0.0.0:0", "0.0.0.0", 0)]
    [InlineData("255.255.255.255:65535", "255.255.255.255", 65535)]
    [InlineData("[::1]:8080", "::1", 8080)]
    [InlineData("[::]:443", "::", 443)]
    [InlineData("[fd00::13]:80", "fd00::13", 80)]
    [InlineData("[::ffff:10.0.0.1]:80", "::ffff:10.0.0.1", 80)]
    [InlineData("127.0.0.1:99999", "127.0.0.1", 99999)] // range is the caller's rule
    public void Parses_ip_literals_with_a_port(string text, string address, int port)
    {
        Assert.True(EndpointParser.TryParse(text, out var parsed, out var parsedPort, out var problem), problem);
        Assert.Equal(IPAddress.Parse(address), parsed);
        Assert.Equal(port, parsedPort);
    }

    [Theory]
    [InlineData("")]
    [InlineData(":80")]
    [InlineData("127.0.0.1:")]
    [InlineData("127.0.0.1:-1")]
    [InlineData("127.0.0.1:8o")]
    [InlineData("127.0.0.1:1234567890")]
    [InlineData("127.1:80")]
    [InlineData("010.0.0.1:80")]
    [InlineData("0x7f.0.0.1:80")]
    [InlineData("256.0.0.1:80")]
    [InlineData("1.2.3.4.5:80")]
    [InlineData("[::1]")]
    [InlineData("[::1]80")]
    [InlineData("[127.0.0.1]:80")]
    [InlineData("[nonsense]:80")]
    [InlineData("::1:80")]
    [InlineData("localhost:80")]
    [InlineData(" 127.0.0.1:80")]
    public void Rejects_anything_but_an_ip_literal_and_port(string text)
    {
        Assert.False(EndpointParser.TryParse(text, out var address, out _, out var problem));
        Assert.Null(address);
        Assert.StartsWith($"\"{text}\" is not an IP address and port", problem, StringComparison.Ordinal);
    }
}
