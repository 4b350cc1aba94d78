using MeshEdge.Codecs.Rpc;

namespace MeshEdge.Codecs.Tests.Rpc;

/// <summary>The read result packs status, length and reason into one value: each must come back as it went in.</summary>
public class RpcReadResultTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(20)]
    [InlineData(65_536)]
    [InlineData(int.MaxValue)]
    public void Complete_keeps_the_frame_length(int length)
    {
        var result = RpcReadResult.Complete(length);

        Assert.Equal(RpcReadStatus.Complete, result.Status);
        Assert.Equal(length, result.FrameLength);
        Assert.Equal(RpcMalformedReason.None, result.Reason);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1_048_576)]
    [InlineData(int.MaxValue)]
    public void NeedMoreData_keeps_the_known_length(int known)
    {
        var result = RpcReadResult.NeedMoreData(known);

        Assert.Equal(RpcReadStatus.NeedMoreData, result.Status);
        Assert.Equal(known, result.FrameLength);
        Assert.Equal(RpcMalformedReason.None, result.Reason);
    }

    [Fact]
    public void Malformed_keeps_every_reason()
    {
        foreach (var reason in Enum.GetValues<RpcMalformedReason>())
        {
            var result = RpcReadResult.Malformed(reason);

            Assert.Equal(RpcReadStatus.Malformed, result.Status);
            Assert.Equal(reason, result.Reason);
            Assert.Equal(0, result.FrameLength);
        }
    }

    [Fact]
    public void Default_is_an_empty_complete()
    {
        var result = default(RpcReadResult);

        Assert.Equal(RpcReadStatus.Complete, result.Status);
        Assert.Equal(0, result.FrameLength);
        Assert.Equal(RpcMalformedReason.None, result.Reason);
    }
}
