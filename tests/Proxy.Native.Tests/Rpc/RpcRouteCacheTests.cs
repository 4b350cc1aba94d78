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
        cache.Remember("\0\0\0\u0007service"u8, methodInHeaders: true, default, 0, Pair);

        Assert.True(cache.Matches("\0\0\0\u0007service"u8));
        Assert.Same(Pair, cache.Pair);
        Assert.True(cache.MethodInHeaders);
        Assert.False(cache.Matches("\0\0\0\u0007servicf"u8));
        Assert.False(cache.Matches("\0\0\0\u0007servic"u8));
        Assert.False(cache.Matches("\0\0\0\u0007service!"u8));
    }

    [Fact]
    public void The_payload_through_its_method_is_part_of_the_key()
    {
        const byte Hessian2 = 1;
        var cache = new RpcRouteCache();
        cache.Remember("h"u8, methodInHeaders: false, "C..\u0008sayHello"u8, Hessian2, Pair);

        Assert.True(cache.Matches("h"u8));
        Assert.False(cache.MethodInHeaders);
        Assert.True(cache.HasContentMethod);
        // What follows the method (the arguments) may differ.
        Assert.True(cache.MatchesContentPrefix(Hessian2, "C..\u0008sayHello"u8));
        Assert.True(cache.MatchesContentPrefix(Hessian2, "C..\u0008sayHello and its arguments"u8));
        Assert.False(cache.MatchesContentPrefix(Hessian2, "C..\u0008sayHellO"u8));
        Assert.False(cache.MatchesContentPrefix(Hessian2, "C..\u0008sayHell"u8));
        Assert.False(cache.MatchesContentPrefix(Hessian2, "D..\u0008sayHello"u8));
        Assert.False(cache.MatchesContentPrefix(Hessian2, default));
        Assert.False(cache.MatchesContentPrefix(11, "C..\u0008sayHello"u8));

        // No method in the payload: nothing of it is kept.
        cache.Remember("h"u8, methodInHeaders: false, default, Hessian2, Pair);
        Assert.False(cache.HasContentMethod);
    }

    /// <summary>
    /// The in-place compares (16 bytes at a time, the last 16 overlapping): every length across the
    /// vector boundaries, a byte changed at every position, and the block found at an offset in its frame.
    /// </summary>
    [Fact]
    public void The_in_place_compares_see_a_change_at_every_position()
    {
        const byte Hessian2 = 1;
        const int Offset = 5;
        for (var length = 1; length <= 70; length++)
        {
            var block = new byte[length];
            for (var i = 0; i < length; i++)
            {
                block[i] = (byte)(i * 7 + length);
            }

            var cache = new RpcRouteCache();
            cache.Remember(block, methodInHeaders: false, block, Hessian2, Pair);
            var frame = new byte[Offset + length + 3];
            block.CopyTo(frame, Offset);

            Assert.True(cache.MatchesHeaders(frame, Offset, length), $"length {length}");
            Assert.False(cache.MatchesHeaders(frame, Offset, length - 1), $"length {length}, one short");
            Assert.True(cache.MatchesContentPrefix(Hessian2, frame.AsSpan(Offset)), $"prefix of length {length}");
            for (var changed = 0; changed < length; changed++)
            {
                frame[Offset + changed] ^= 0x20;
                Assert.False(cache.MatchesHeaders(frame, Offset, length), $"length {length}, byte {changed} changed");
                Assert.False(cache.MatchesContentPrefix(Hessian2, frame.AsSpan(Offset)), $"prefix of length {length}, byte {changed} changed");
                frame[Offset + changed] ^= 0x20;
            }
        }
    }

    [Fact]
    public void A_payload_prefix_too_long_to_keep_makes_it_forget()
    {
        var cache = new RpcRouteCache();
        cache.Remember("h"u8, methodInHeaders: true, default, 0, Pair);

        cache.Remember("h"u8, methodInHeaders: false, new byte[RpcRouteCache.MaxContentPrefixLength + 1], 1, Pair);

        Assert.Null(cache.Pair);
        Assert.False(cache.Matches("h"u8));
    }

    [Fact]
    public void Headers_too_long_to_keep_make_it_forget_the_last_ones()
    {
        var cache = new RpcRouteCache();
        cache.Remember("h"u8, methodInHeaders: true, default, 0, Pair);
        var big = new byte[RpcRouteCache.MaxHeaderLength + 1];

        cache.Remember(big, methodInHeaders: true, default, 0, Pair);

        Assert.Null(cache.Pair);
        Assert.False(cache.Matches("h"u8));
        Assert.False(cache.Matches(big));
    }
}
