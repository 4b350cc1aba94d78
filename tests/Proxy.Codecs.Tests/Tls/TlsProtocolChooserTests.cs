using MeshEdge.Codecs.Detection;
using MeshEdge.Codecs.Tests.TestSupport;
using MeshEdge.Codecs.Tls;
using static MeshEdge.Codecs.Tests.Tls.ClientHelloBuilder;

namespace MeshEdge.Codecs.Tests.Tls;

/// <summary>The ALPN offer of real and built hellos, and the protocol an auto listener terminating TLS would serve for it.</summary>
public class TlsProtocolChooserTests
{
    public static TheoryData<string, byte[], int, string, string> Hellos => new()
    {
        { "curl --http2", Bytes.FromHex(ClientHelloCaptures.CurlH2), (int)(TlsAlpnOffer.H2 | TlsAlpnOffer.Http11), "Http2", "Http1" },
        { "curl --http1.1", Bytes.FromHex(ClientHelloCaptures.CurlHttp11Tls12), (int)TlsAlpnOffer.Http11, "Http1", "Http1" },
        { "s_client, no ALPN", Bytes.FromHex(ClientHelloCaptures.OpenSslTls12Sni), (int)TlsAlpnOffer.None, "Http1", "Http1" },
        { "h2 alone", Records(Message([Alpn("h2")])), (int)TlsAlpnOffer.H2, "Http2", "Unknown" },
        { "h3 and a private one", Records(Message([Alpn("h3", "x-mine")])), (int)TlsAlpnOffer.Other, "Unknown", "Unknown" },
    };

    [Theory]
    [MemberData(nameof(Hellos))]
    public void The_offer_picks_the_protocol(string client, byte[] bytes, int offer, string servingH2, string notServingH2)
    {
        var status = TlsClientHelloReader.Read(bytes, new byte[TlsClientHelloReader.DefaultMaxBytes], TlsClientHelloReader.DefaultMaxBytes, out var hello);

        Assert.True(status == TlsClientHelloStatus.Complete, client);
        Assert.Equal((TlsAlpnOffer)offer, hello.Alpn.Offer);
        Assert.Equal(servingH2, TlsProtocolChooser.Choose(hello.Alpn.Offer, servesHttp2: true).ToString());
        Assert.Equal(notServingH2, TlsProtocolChooser.Choose(hello.Alpn.Offer, servesHttp2: false).ToString());
    }
}
