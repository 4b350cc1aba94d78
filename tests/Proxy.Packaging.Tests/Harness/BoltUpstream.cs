using System.Net.Sockets;

namespace MeshEdge.Packaging.Tests.Harness;

/// <summary>
/// A Bolt v1 server on 127.0.0.1 (port chosen by the kernel): it answers every request with SOFA's
/// golden response under the request's id, and heartbeats with their ack. It counts the calls it
/// answered and the connections that closed before sending a byte, which is what a TCP health check is.
/// </summary>
internal sealed class BoltUpstream : LoopbackServer
{
    private int _calls;
    private int _silentConnections;

    public BoltUpstream() => Start();

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Connections closed by the peer before any byte: TCP health-check probes.</summary>
    public int SilentConnections => Volatile.Read(ref _silentConnections);

    protected override async Task ServeAsync(Socket connection, CancellationToken stopping)
    {
        var frames = 0;
        while (await BoltFrames.ReadAsync(connection, stopping) is { } frame)
        {
            frames++;
            var answer = frame.Command == BoltFrames.CommandHeartbeat ? BoltFrames.HeartbeatAck(frame.Id) : BoltFrames.Response(frame.Id);
            if (frame.Command != BoltFrames.CommandHeartbeat)
            {
                // Counted before the answer goes: a client that has its answer must find the call counted
                // (counted after the send, the answer could cross the proxy first, and a test read 2 of 3).
                Interlocked.Increment(ref _calls);
            }

            await connection.SendAsync(answer, SocketFlags.None, stopping);
        }

        if (frames == 0)
        {
            Interlocked.Increment(ref _silentConnections);
        }
    }
}
