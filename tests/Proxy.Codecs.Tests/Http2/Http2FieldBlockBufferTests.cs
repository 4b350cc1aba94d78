using System.Buffers;
using MeshEdge.Codecs.Http2;

namespace MeshEdge.Codecs.Tests.Http2;

public class Http2FieldBlockBufferTests
{
    [Fact]
    public void Fragments_join_up_to_the_cap_and_every_array_goes_back()
    {
        var pool = new TrackingPool();
        using (var block = new Http2FieldBlockBuffer(pool, cap: 2_000))
        {
            Assert.True(block.TryAppend(Enumerable.Repeat((byte)1, 700).ToArray()));
            Assert.True(block.TryAppend(Enumerable.Repeat((byte)2, 700).ToArray()));
            Assert.Equal(1_400, block.Length);
            Assert.Equal(700, block.Span.Count((byte)1));
            Assert.Equal(700, block.Span[700..].Count((byte)2));

            Assert.False(block.TryAppend(new byte[601]));
            Assert.Equal(1_400, block.Length);
            Assert.True(block.TryAppend(new byte[600]));

            block.Clear();
            Assert.Equal(0, pool.Outstanding);
            Assert.True(block.TryAppend([9]));
            Assert.Equal([9], block.Span.ToArray());
        }

        Assert.Equal(0, pool.Outstanding);
        Assert.True(pool.Rents >= 3);
    }

    private sealed class TrackingPool : ArrayPool<byte>
    {
        public int Outstanding { get; private set; }

        public int Rents { get; private set; }

        public override byte[] Rent(int minimumLength)
        {
            Outstanding++;
            Rents++;
            return new byte[minimumLength];
        }

        public override void Return(byte[] array, bool clearArray = false) => Outstanding--;
    }
}
