using MeshEdge.Codecs.Http2;

namespace MeshEdge.Codecs.Tests.Http2;

public class Http2FlowWindowTests
{
    [Fact]
    public void Data_beyond_the_window_is_a_flow_control_error_of_the_right_scope()
    {
        var stream = new Http2FlowWindow(100);
        Assert.False(stream.Consume(100, 3).IsError);
        Assert.Equal(0, stream.Available);

        var over = stream.Consume(1, 3);
        Assert.Equal(new Http2Error(Http2ErrorCode.FlowControlError, Http2ErrorReason.WindowExceeded, false, 3), over);
        var connection = new Http2FlowWindow(0);
        Assert.True(connection.Consume(1, 0).IsConnectionError);
    }

    [Fact]
    public void A_window_may_reach_but_never_pass_two_to_the_31_minus_one()
    {
        var window = new Http2FlowWindow(Http2Constants.DefaultWindowSize);
        Assert.False(window.Grow(int.MaxValue - 65_535, 1).IsError);
        Assert.Equal(int.MaxValue, window.Available);

        var overflow = window.Grow(1, 1);
        Assert.Equal(Http2ErrorCode.FlowControlError, overflow.Code);
        Assert.Equal(Http2ErrorReason.WindowOverflow, overflow.Reason);
        Assert.False(overflow.IsConnectionError);
        Assert.Equal(int.MaxValue, window.Available);
        Assert.True(window.Grow(int.MaxValue, 0).IsConnectionError);
    }

    [Fact]
    public void A_settings_change_moves_open_windows_below_zero_and_refuses_overflow()
    {
        var window = new Http2FlowWindow(65_535);
        Assert.False(window.Consume(60_000, 1).IsError);
        Assert.False(window.Resize(65_535, 1_000).IsError);
        Assert.Equal(5_535 - 64_535, window.Available);
        Assert.Equal(0, window.Sendable);

        var full = new Http2FlowWindow(int.MaxValue - 10);
        var error = full.Resize(65_535, 65_546);
        Assert.True(error.IsConnectionError);
        Assert.Equal(Http2ErrorCode.FlowControlError, error.Code);
        Assert.Equal(int.MaxValue - 10, full.Available);
    }
}
