namespace MeshEdge.Native.Xds.Grpc;

/// <summary>
/// When to PING a quiet connection and when to give up on it: a control plane whose host vanished
/// leaves a TCP connection that neither reads nor closes, and the client must notice to reconnect.
/// Any bytes received count as life (the PING's ACK among them). Times in milliseconds.
/// </summary>
internal sealed class GrpcKeepAlive(TimeSpan after, TimeSpan timeout, long now)
{
    private long _lastReceived = now;
    private long _pingSent = -1;

    public enum Action
    {
        None,
        Ping,
        GiveUp,
    }

    public void Received(long now)
    {
        _lastReceived = now;
        _pingSent = -1;
    }

    public Action Due(long now)
    {
        if (_pingSent >= 0)
        {
            return now - _pingSent >= (long)timeout.TotalMilliseconds ? Action.GiveUp : Action.None;
        }

        if (now - _lastReceived >= (long)after.TotalMilliseconds)
        {
            _pingSent = now;
            return Action.Ping;
        }

        return Action.None;
    }
}
