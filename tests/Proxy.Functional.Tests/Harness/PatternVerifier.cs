namespace MeshEdge.Functional.Tests.Harness;

/// <summary>
/// Checks received bytes against <see cref="TestPattern"/> as they arrive, remembering the byte count
/// and the offset of the first wrong byte (more useful in a failure than a hash mismatch).
/// </summary>
internal sealed class PatternVerifier
{
    private readonly byte[] _expected = new byte[64 * 1024];

    public long Count { get; private set; }

    /// <summary>Offset of the first byte that differs from the pattern, or -1.</summary>
    public long FirstMismatch { get; private set; } = -1;

    /// <summary>Why the stream ended other than by end of stream (a reset), or null.</summary>
    public string? StreamError { get; set; }

    public void Feed(ReadOnlySpan<byte> received)
    {
        while (!received.IsEmpty)
        {
            var chunk = Math.Min(received.Length, _expected.Length);
            if (FirstMismatch < 0)
            {
                var expected = _expected.AsSpan(0, chunk);
                TestPattern.Fill(Count, expected);
                var same = received[..chunk].CommonPrefixLength(expected);
                if (same < chunk)
                {
                    FirstMismatch = Count + same;
                }
            }

            Count += chunk;
            received = received[chunk..];
        }
    }

    public void AssertExactly(long expectedCount, string what)
    {
        Assert.True(StreamError is null, $"{what}: stream failed after {Count} bytes: {StreamError}");
        Assert.True(FirstMismatch < 0, $"{what}: first wrong byte at offset {FirstMismatch} (of {Count} received)");
        Assert.True(Count == expectedCount, $"{what}: received {Count} bytes, expected {expectedCount}");
    }
}
