using MeshEdge.Native.Rpc;

namespace MeshEdge.Native.Tests.Rpc;

/// <summary>The last header block routed in full: what counts as the same request, and what is not kept.</summary>
public sealed class RpcRouteCacheTests
{
    private static readonly RpcMethodStats Pair = new("svc", "m");

    [Fact]
    public void Nothing_matches_before_anything_is_remembered()
    {
        var cache = new RpcRouteCache();

        Assert.False(cache.Matches(default));
        Assert.False(cache.Matches("abc"u8));
    }

    [Fact]
    public void Only_the_same_bytes_match()
    {
        var cache = new RpcRouteCache();
        cache.Remember("\0\0\0\u0007service"u8, methodInHeaders: true, default, Pair);

        Assert.True(cache.Matches("\0\0\0\u0007service"u8));
        Assert.Same(Pair, cache.Pair);
        Assert.True(cache.MethodInHeaders);
        Assert.False(cache.Matches("\0\0\0\u0007servicf"u8));
        Assert.False(cache.Matches("\0\0\0\u0007servic"u8));
        Assert.False(cache.Matches("\0\0\0\u0007service!"u8));
    }

    [Fact]
    public void A_method_from_the_payload_is_part_of_the_key()
    {
        var cache = new RpcRouteCache();
        cache.Remember("h"u8, methodInHeaders: false, "sayHello"u8, Pair);

        Assert.True(cache.Matches("h"u8));
        Assert.False(cache.MethodInHeaders);
        Assert.True(cache.MatchesContentMethod("sayHello"u8));
        Assert.False(cache.MatchesContentMethod("sayBye"u8));
        Assert.False(cache.MatchesContentMethod("sayHellO"u8));
        Assert.False(cache.MatchesContentMethod(default));

        // No method in the payload either time is a match too.
        cache.Remember("h"u8, methodInHeaders: false, default, Pair);
        Assert.True(cache.MatchesContentMethod(default));
        Assert.False(cache.MatchesContentMethod("sayHello"u8));
    }

    [Fact]
    public void Headers_too_long_to_keep_make_it_forget_the_last_ones()
    {
        var cache = new RpcRouteCache();
        cache.Remember("h"u8, methodInHeaders: true, default, Pair);
        var big = new byte[RpcRouteCache.MaxHeaderLength + 1];

        cache.Remember(big, methodInHeaders: true, default, Pair);

        Assert.Null(cache.Pair);
        Assert.False(cache.Matches("h"u8));
        Assert.False(cache.Matches(big));
    }
}
