using MeshEdge.Codecs.Tls;

namespace MeshEdge.Fuzz;

/// <summary>
/// The input as a connection's first bytes on a TLS passthrough listener: the reader gives the same
/// verdict however the bytes are cut, a complete hello's length lies inside the input, and its server
/// name and ALPN views lie inside the input or the scratch the hello was gathered into.
/// </summary>
internal static class TlsClientHelloTarget
{
    private static readonly byte[] Scratch = new byte[TlsClientHelloReader.DefaultMaxBytes];

    public static void Run(ReadOnlySpan<byte> input)
    {
        var status = TlsClientHelloReader.Read(input, Scratch, TlsClientHelloReader.DefaultMaxBytes, out var hello);
        if (status == TlsClientHelloStatus.Complete)
        {
            Invariant.Holds(hello.Length > 0 && hello.Length <= input.Length, "a complete hello's length lies inside the input");
            InsideInputOrScratch(input, hello.ServerName, "the server name");
            InsideInputOrScratch(input, hello.Alpn.Wire, "the ALPN list");
            var count = 0;
            foreach (var protocol in hello.Alpn)
            {
                Invariant.Holds(!protocol.IsEmpty, "an ALPN protocol is not empty");
                count++;
            }

            Invariant.Holds(count == hello.Alpn.Count, "the ALPN enumerator and Count agree");
        }

        // A prefix of the input never decides more than the whole did: it waits, or gives the same verdict.
        if (input.Length > 1)
        {
            var prefix = TlsClientHelloReader.Read(input[..(input.Length / 2)], Scratch, TlsClientHelloReader.DefaultMaxBytes, out _);
            Invariant.Holds(prefix == TlsClientHelloStatus.NeedMoreData || prefix == status || status != TlsClientHelloStatus.Complete, "a prefix of a complete hello waits or agrees");
        }
    }

    private static void InsideInputOrScratch(ReadOnlySpan<byte> input, ReadOnlySpan<byte> view, string what)
    {
        if (view.IsEmpty || Scratch.AsSpan().Overlaps(view))
        {
            Invariant.Inside(Scratch, view, what);
            return;
        }

        Invariant.Inside(input, view, what);
    }
}
