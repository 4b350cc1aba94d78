using System.Buffers;
using CsCheck;
using MeshEdge.Codecs.Checksums;
using MeshEdge.Codecs.Tests.TestSupport;

namespace MeshEdge.Codecs.Tests.Checksums;

public class Crc32IeeeTests
{
    [Theory]
    [InlineData("", 0x00000000u)]
    [InlineData("a", 0xE8B7BE43u)]
    [InlineData("abc", 0x352441C2u)]
    [InlineData("123456789", 0xCBF43926u)] // the CRC-32/ISO-HDLC check value
    [InlineData("The quick brown fox jumps over the lazy dog", 0x414FA339u)]
    public void Known_vectors(string text, uint expected)
    {
        var bytes = System.Text.Encoding.ASCII.GetBytes(text);
        Assert.Equal(expected, Crc32Ieee.Compute(bytes));
        Assert.Equal(expected, BitwiseCrc32.Compute(bytes));
        Assert.Equal(expected, Crc32Ieee.Compute(SegmentedSequence.ByteByByte(bytes)));
    }

    [Fact]
    public void Long_runs_of_zeros_and_ones()
    {
        var zeros = new byte[1 << 16];
        var ones = Enumerable.Repeat((byte)0xFF, 1000).ToArray();
        Assert.Equal(BitwiseCrc32.Compute(zeros), Crc32Ieee.Compute(zeros));
        Assert.Equal(BitwiseCrc32.Compute(ones), Crc32Ieee.Compute(ones));
    }

    [Fact]
    public void Agrees_with_the_bitwise_oracle_whole_and_in_segments()
    {
        Gen.Byte.Array[0, 600].Select(Gen.Int[0, 600], Gen.Int[0, 600]).Sample((data, a, b) =>
        {
            var expected = BitwiseCrc32.Compute(data);
            Assert.Equal(expected, Crc32Ieee.Compute(data));
            Assert.Equal(expected, Crc32Ieee.Compute(new ReadOnlySequence<byte>(data)));
            int[] cuts = [.. new[] { a, b }.Where(c => c > 0 && c < data.Length).Distinct().Order()];
            if (data.Length > 0)
            {
                Assert.Equal(expected, Crc32Ieee.Compute(SegmentedSequence.Split(data, cuts)));
            }
        });
    }

    [Fact]
    public void Segmented_hashing_allocates_nothing_after_the_first_use_on_a_thread()
    {
        var sequence = SegmentedSequence.Split(new byte[300], 100, 200);
        Crc32Ieee.Compute(sequence);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            Crc32Ieee.Compute(sequence);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
