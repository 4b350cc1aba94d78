using MeshEdge.Codecs.Tests.TestSupport;
using MeshEdge.Codecs.Tls;

namespace MeshEdge.Codecs.Tests.Tls;

/// <summary>Hellos real clients sent: read whole, a byte at a time, and re-cut into many records.</summary>
public class TlsClientHelloCaptureTests
{
    public static TheoryData<string, string, string?, string, ushort> Captures => new()
    {
        { nameof(ClientHelloCaptures.OpenSslTls13SniAlpn), ClientHelloCaptures.OpenSslTls13SniAlpn, "a.example.com", "h2,http/1.1", 0x0304 },
        { nameof(ClientHelloCaptures.OpenSslTls13NoSniAlpn), ClientHelloCaptures.OpenSslTls13NoSniAlpn, null, "http/1.1", 0x0304 },
        { nameof(ClientHelloCaptures.OpenSslTls12Sni), ClientHelloCaptures.OpenSslTls12Sni, "b.example.com", "", 0 },
        { nameof(ClientHelloCaptures.OpenSslTls12NoSni), ClientHelloCaptures.OpenSslTls12NoSni, null, "", 0 },
        { nameof(ClientHelloCaptures.CurlH2), ClientHelloCaptures.CurlH2, "www.example.org", "h2,http/1.1", 0x0304 },
        { nameof(ClientHelloCaptures.CurlHttp11Tls12), ClientHelloCaptures.CurlHttp11Tls12, "api.example.net", "http/1.1", 0 },
    };

    [Theory]
    [MemberData(nameof(Captures))]
    public void A_captured_hello_reads_whole(string client, string hex, string? serverName, string alpn, ushort versionsMax)
    {
        var bytes = Bytes.FromHex(hex);
        var expected = new ClientHelloOutcome(TlsClientHelloStatus.Complete, serverName, alpn, 0x0303, versionsMax, bytes.Length);

        Assert.True(expected == ClientHelloOutcome.Read(bytes), $"{client}: {ClientHelloOutcome.Read(bytes)}");
    }

    [Theory]
    [MemberData(nameof(Captures))]
    public void Every_prefix_of_a_captured_hello_needs_more(string client, string hex, string? serverName, string alpn, ushort versionsMax)
    {
        var bytes = Bytes.FromHex(hex);
        for (var length = 0; length < bytes.Length; length++)
        {
            var outcome = ClientHelloOutcome.Read(bytes.AsSpan(0, length));
            Assert.True(outcome.Status == TlsClientHelloStatus.NeedMoreData, $"{client}, {length} bytes: {outcome}");
        }

        Assert.Equal((serverName, alpn, versionsMax), (ClientHelloOutcome.Read(bytes).ServerName, ClientHelloOutcome.Read(bytes).Alpn, versionsMax));
    }

    [Theory]
    [MemberData(nameof(Captures))]
    public void A_captured_hello_cut_into_small_records_reads_the_same(string client, string hex, string? serverName, string alpn, ushort versionsMax)
    {
        var bytes = Bytes.FromHex(hex);
        foreach (var size in new[] { 1, 2, 3, 5, 64, 100, bytes.Length - 6 })
        {
            var records = ClientHelloBuilder.Refragment(bytes, size);
            var expected = new ClientHelloOutcome(TlsClientHelloStatus.Complete, serverName, alpn, 0x0303, versionsMax, records.Length);
            var outcome = ClientHelloOutcome.Read(records, maxBytes: 64 * 1024);
            Assert.True(expected == outcome, $"{client} in {size}-byte records: {outcome}");

            // A byte at a time: every prefix waits, whatever record it stops in.
            for (var length = 0; length < records.Length; length += size == 1 ? 7 : 1)
            {
                Assert.Equal(TlsClientHelloStatus.NeedMoreData, ClientHelloOutcome.Read(records.AsSpan(0, length), maxBytes: 64 * 1024).Status);
            }
        }
    }

    [Fact]
    public void Bytes_after_the_hello_are_not_part_of_it()
    {
        var bytes = Bytes.FromHex(ClientHelloCaptures.CurlH2);
        byte[] withMore = [.. bytes, 0x14, 0x03, 0x03, 0x00, 0x01, 0x01];

        var outcome = ClientHelloOutcome.Read(withMore);

        Assert.Equal((TlsClientHelloStatus.Complete, "www.example.org", bytes.Length), (outcome.Status, outcome.ServerName, outcome.Length));
    }

    [Fact]
    public void A_hello_past_the_bound_is_too_large_however_it_is_framed()
    {
        var bytes = Bytes.FromHex(ClientHelloCaptures.CurlH2);

        Assert.Equal(TlsClientHelloStatus.TooLarge, ClientHelloOutcome.Read(bytes, maxBytes: bytes.Length - 1).Status);
        Assert.Equal(TlsClientHelloStatus.Complete, ClientHelloOutcome.Read(bytes, maxBytes: bytes.Length).Status);

        // One-byte records: the message fits the bound but its framing does not; known before all of it is here.
        var records = ClientHelloBuilder.Refragment(bytes, 1);
        Assert.Equal(TlsClientHelloStatus.TooLarge, ClientHelloOutcome.Read(records, maxBytes: 1024).Status);
        Assert.Equal(TlsClientHelloStatus.TooLarge, ClientHelloOutcome.Read(records.AsSpan(0, 1030), maxBytes: 1024).Status);
    }

    [Fact]
    public void A_declared_length_past_the_bound_is_too_large_at_once()
    {
        byte[] start = [0x16, 0x03, 0x01, 0x40, 0x00, 0x01, 0x01, 0x00, 0x00];

        Assert.Equal(TlsClientHelloStatus.TooLarge, ClientHelloOutcome.Read(start).Status);
    }
}
