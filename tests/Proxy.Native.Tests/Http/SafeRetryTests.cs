using MeshEdge.Codecs.Http1;
using MeshEdge.Native.Http;
using Xunit;

namespace MeshEdge.Native.Tests.Http;

/// <summary>
/// The rule for retries made with no policy (issue 18 item 6), the same for HTTP/1.1 and HTTP/2.
/// The enums are internal, so the cases pass them as numbers.
/// </summary>
public sealed class SafeRetryTests
{
    [Theory]
    [InlineData((int)Http1Method.Get, true)]
    [InlineData((int)Http1Method.Head, true)]
    [InlineData((int)Http1Method.Options, true)]
    [InlineData((int)Http1Method.Trace, true)]
    [InlineData((int)Http1Method.Put, true)]
    [InlineData((int)Http1Method.Delete, true)]
    [InlineData((int)Http1Method.Post, false)]
    [InlineData((int)Http1Method.Patch, false)]
    [InlineData((int)Http1Method.Connect, false)]
    [InlineData((int)Http1Method.Custom, false)]
    public void A_lost_reused_connection_is_retried_only_for_an_idempotent_method(int method, bool retried)
    {
        Assert.Equal(retried, SafeRetry.Allows(UnprocessedCause.ReusedConnectionLost, (Http1Method)method, replayable: true, attempts: 1, hostCount: 2));
    }

    [Theory]
    [InlineData((int)UnprocessedCause.ConnectFailure)]
    [InlineData((int)UnprocessedCause.ReusedConnectionLost)]
    [InlineData((int)UnprocessedCause.RefusedStream)]
    [InlineData((int)UnprocessedCause.AboveGoAwayLastStream)]
    public void Nothing_is_retried_once_a_body_byte_has_left(int cause)
    {
        Assert.False(SafeRetry.Allows((UnprocessedCause)cause, Http1Method.Get, replayable: false, attempts: 1, hostCount: 3));
    }

    [Theory]
    [InlineData((int)UnprocessedCause.RefusedStream)]
    [InlineData((int)UnprocessedCause.AboveGoAwayLastStream)]
    [InlineData((int)UnprocessedCause.ConnectFailure)]
    public void A_request_the_upstream_never_saw_is_retried_whatever_its_method(int cause)
    {
        Assert.True(SafeRetry.Allows((UnprocessedCause)cause, Http1Method.Post, replayable: true, attempts: 1, hostCount: 2));
    }

    [Theory]
    [InlineData((int)UnprocessedCause.ConnectFailure, 1, 1, false)]
    [InlineData((int)UnprocessedCause.ConnectFailure, 2, 3, true)]
    [InlineData((int)UnprocessedCause.ConnectFailure, 3, 3, false)]
    [InlineData((int)UnprocessedCause.ReusedConnectionLost, 1, 1, true)]
    [InlineData((int)UnprocessedCause.ReusedConnectionLost, 2, 1, false)]
    [InlineData((int)UnprocessedCause.ReusedConnectionLost, 2, 3, true)]
    [InlineData((int)UnprocessedCause.ReusedConnectionLost, 3, 3, false)]
    [InlineData((int)UnprocessedCause.None, 1, 3, false)]
    public void Each_host_gets_one_try_and_a_lone_host_a_second_on_a_new_connection(int cause, int attempts, int hosts, bool retried)
    {
        Assert.Equal(retried, SafeRetry.Allows((UnprocessedCause)cause, Http1Method.Get, replayable: true, attempts, hosts));
    }

    [Theory]
    [InlineData(true, false, (int)UnprocessedCause.ReusedConnectionLost)]
    [InlineData(true, true, (int)UnprocessedCause.None)]
    [InlineData(false, false, (int)UnprocessedCause.None)]
    public void Only_a_reused_connection_lost_before_any_response_byte_counts(bool reused, bool answered, int cause)
    {
        Assert.Equal((UnprocessedCause)cause, SafeRetry.OfLostConnection(reused, answered));
    }
}
