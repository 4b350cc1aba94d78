using MeshEdge.Codecs.Tests.TestSupport;
using MeshEdge.Codecs.Tls;

namespace MeshEdge.Codecs.Tests.Tls;

/// <summary>Reading a hello, in one record or gathered from several, allocates nothing; each read is checked so that one that gives up early cannot pass.</summary>
public class TlsClientHelloAllocationTests
{
    private static readonly byte[] Whole = Bytes.FromHex(ClientHelloCaptures.CurlH2);
    private static readonly byte[] Split = ClientHelloBuilder.Refragment(Whole, 100);

    [Fact]
    public void Reading_hellos_allocates_nothing()
    {
        var scratch = new byte[TlsClientHelloReader.DefaultMaxBytes];
        Assert.True(IsRead(Whole, scratch));
        Assert.True(IsRead(Split, scratch));

        var wrong = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            wrong += IsRead(Whole, scratch) ? 0 : 1;
            wrong += IsRead(Split, scratch) ? 0 : 1;
            wrong += TlsClientHelloReader.Read(Whole.AsSpan(0, 300), scratch, TlsClientHelloReader.DefaultMaxBytes, out _) == TlsClientHelloStatus.NeedMoreData ? 0 : 1;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, wrong);
        Assert.Equal(0, allocated);
    }

    private static bool IsRead(byte[] input, byte[] scratch) =>
        TlsClientHelloReader.Read(input, scratch, TlsClientHelloReader.DefaultMaxBytes, out var hello) == TlsClientHelloStatus.Complete
        && hello.ServerName.SequenceEqual("www.example.org"u8)
        && hello.Alpn.Contains("h2"u8)
        && hello.Alpn.Count == 2
        && hello.MaxVersion == 0x0304
        && hello.Length == input.Length;
}
