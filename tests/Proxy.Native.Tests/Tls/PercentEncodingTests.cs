using System.Text;
using MeshEdge.Native.Tls;

namespace MeshEdge.Native.Tests.Tls;

/// <summary>PEM in x-forwarded-client-cert: everything but RFC 3986's unreserved characters percent-encoded.</summary>
public sealed class PercentEncodingTests
{
    [Theory]
    [InlineData("-----BEGIN CERTIFICATE-----\nMIIB+/a=\n-----END CERTIFICATE-----\n")]
    [InlineData("AZaz09-._~")]
    [InlineData("\"quoted\";,=%")]
    [InlineData("")]
    public void Agrees_with_uri_escaping(string text)
    {
        Assert.Equal(Uri.EscapeDataString(text), Encoding.ASCII.GetString(PercentEncoding.Encode(Encoding.UTF8.GetBytes(text))));
    }
}
