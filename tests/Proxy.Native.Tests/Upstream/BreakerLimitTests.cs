using MeshEdge.Config.Model;
using MeshEdge.Native.Upstream;

namespace MeshEdge.Native.Tests.Upstream;

public sealed class BreakerLimitTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_full_breaker_refuses_without_counting_the_refusal(bool sharedByWorkers)
    {
        var limit = new BreakerLimit(2, sharedByWorkers);

        Assert.True(limit.TryAcquire());
        Assert.True(limit.TryAcquire());
        Assert.False(limit.TryAcquire());
        Assert.Equal(2, limit.Count);

        limit.Release();
        Assert.True(limit.TryAcquire());
        Assert.Equal(2, limit.Count);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Max_retries_of_zero_refuses_every_retry(int workers)
    {
        var breakers = new CircuitBreakers(CircuitBreakerConfig.Default with { MaxRetries = 0 }, workers);

        Assert.False(breakers.Retries.TryAcquire());
        Assert.Equal(0, breakers.Retries.Count);
    }

    [Fact]
    public void The_limit_holds_over_threads_racing_for_it()
    {
        var limit = new BreakerLimit(100, sharedByWorkers: true);
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

    [Fact]
    public void Breakers_are_shared_by_workers_unless_there_is_only_one()
    {
        var one = new CircuitBreakers(CircuitBreakerConfig.Default with { MaxRequests = 1000 }, workerCount: 1);
        var four = new CircuitBreakers(CircuitBreakerConfig.Default with { MaxRequests = 1000 }, workerCount: 4);

        // Four workers race for the four-worker breaker: the interlocked path keeps every grant counted.
        Parallel.For(0, 4, _ =>
        {
            for (var i = 0; i < 200; i++)
            {
                Assert.True(four.Requests.TryAcquire());
            }
        });
        Assert.Equal(800, four.Requests.Count);

        for (var i = 0; i < 1000; i++)
        {
            Assert.True(one.Requests.TryAcquire());
        }

        Assert.False(one.Requests.TryAcquire());
        Assert.Equal(1000, one.Requests.Count);
    }
}
