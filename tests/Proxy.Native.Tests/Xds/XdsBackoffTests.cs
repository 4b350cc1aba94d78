using MeshEdge.Native.Xds;

namespace MeshEdge.Native.Tests.Xds;

public sealed class XdsBackoffTests
{
    [Fact]
    public void Delays_double_up_to_the_cap_with_jitter_in_the_upper_half_and_reset()
    {
        var backoff = new XdsBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), new Random(7));
        var delays = Enumerable.Range(0, 8).Select(_ => backoff.Next().TotalMilliseconds).ToArray();
        double[] ceilings = [100, 200, 400, 800, 1000, 1000, 1000, 1000];
        for (var i = 0; i < delays.Length; i++)
        {
            Assert.InRange(delays[i], ceilings[i] / 2, ceilings[i]);
        }

        Assert.True(delays.Distinct().Count() > 4, "jittered: " + string.Join(", ", delays));
        backoff.Reset();
        Assert.InRange(backoff.Next().TotalMilliseconds, 50, 100);
    }
}
