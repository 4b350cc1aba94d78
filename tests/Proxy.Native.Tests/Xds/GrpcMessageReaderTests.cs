using MeshEdge.Native.Xds.Grpc;

namespace MeshEdge.Native.Tests.Xds;

/// <summary>gRPC length-prefixed messages cut out of DATA however the frames fall.</summary>
public sealed class GrpcMessageReaderTests
{
    private static byte[] Framed(params byte[][] messages) =>
        [.. messages.SelectMany(m => new byte[] { 0, (byte)(m.Length >> 24), (byte)(m.Length >> 16), (byte)(m.Length >> 8), (byte)m.Length }.Concat(m))];

    private static List<byte[]> Taken(GrpcMessageReader reader)
    {
        var all = new List<byte[]>();
        while (reader.TryTake(out var message))
        {
            all.Add(message);
        }

        return all;
    }

    [Fact]
    public void AMessageSplitAcrossManyPiecesEvenInsideItsPrefixComesOutWhole()
    {
        var payload = Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray();
        var wire = Framed(payload);
        var reader = new GrpcMessageReader(1 << 20);
        for (var i = 0; i < wire.Length; i++)
        {
            Assert.Null(reader.Append(wire.AsSpan(i, 1)));
            Assert.Equal(i < wire.Length - 1, reader.InsideMessage);
            Assert.Equal(i < wire.Length - 1 ? 0 : 1, reader.Count);
        }

        Assert.Equal(payload, Assert.Single(Taken(reader)));
    }

    [Fact]
    public void SeveralMessagesInOnePieceAndOneEndingInTheNextComeOutInOrder()
    {
        var wire = Framed([1, 2, 3], [], [4], [5, 6, 7, 8]);
        var reader = new GrpcMessageReader(1 << 20);
        Assert.Null(reader.Append(wire.AsSpan(0, wire.Length - 2)));
        Assert.Equal(3, reader.Count);
        Assert.True(reader.InsideMessage);
        Assert.Null(reader.Append(wire.AsSpan(wire.Length - 2)));
        Assert.False(reader.InsideMessage);
        Assert.Equal([[1, 2, 3], [], [4], [5, 6, 7, 8]], Taken(reader));
    }

    [Fact]
    public void ACompressedMessageOrOneOverTheLimitStopsTheStream()
    {
        Assert.Contains("compressed", new GrpcMessageReader(100).Append([1, 0, 0, 0, 1, 9]));
        Assert.Contains("over the limit of 100", new GrpcMessageReader(100).Append([0, 0, 0, 0, 101]));
    }
}
