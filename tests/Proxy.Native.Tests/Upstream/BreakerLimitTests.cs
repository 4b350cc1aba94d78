using MeshEdge.Config.Model;
using MeshEdge.Native.Upstream;

namespace MeshEdge.Native.Tests.Upstream;

public sealed class BreakerLimitTests
{
    [Fact]
    public void A_full_breaker_refuses_without_counting_the_refusal()
    {
        var limit = new BreakerLimit(2);

        Assert.True(limit.TryAcquire());
        Assert.True(limit.TryAcquire());
        Assert.False(limit.TryAcquire());
        Assert.Equal(2, limit.Count);

        limit.Release();
        Assert.True(limit.TryAcquire());
        Assert.Equal(2, limit.Count);
    }

    [Fact]
    public void Max_retries_of_zero_refuses_every_retry()
    {
        var breakers = new CircuitBreakers(CircuitBreakerConfig.Default with { MaxRetries = 0 });

        Assert.False(breakers.Retries.TryAcquire());
        Assert.Equal(0, breakers.Retries.Count);
    }

    [Fact]
    public void The_limit_holds_over_threads_racing_for_it()
    {
        var limit = new BreakerLimit(100);
        var granted = 0;

        Parallel.For(0, 10_000, _ =>
        {
            if (limit.TryAcquire())
            {
                Interlocked.Increment(ref granted);
            }
        });

        Assert.Equal(100, granted);
        Assert.Equal(100, limit.Count);
    }
}
