using System.Net;
using System.Net.Sockets;

namespace MeshEdge.Packaging.Tests.Harness;

/// <summary>
/// A Bolt v1 server on 127.0.0.1 (port chosen by the kernel): it answers every request with SOFA's
/// golden response under the request's id, and heartbeats with their ack. It counts the calls it
/// answered and the connections that closed before sending a byte, which is what a TCP health check is.
/// </summary>
internal sealed class BoltUpstream : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private int _calls;
    private int _silentConnections;

    public BoltUpstream()
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Connections closed by the peer before any byte: TCP health-check probes.</summary>
    public int SilentConnections => Volatile.Read(ref _silentConnections);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _acceptLoop;
        }
        catch (Exception error) when (error is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var connection = await _listener.AcceptSocketAsync(_stop.Token);
            _ = Task.Run(() => ServeAsync(connection));
        }
    }

    private async Task ServeAsync(Socket connection)
    {
        using (connection)
        {
            try
            {
                var frames = 0;
                while (await BoltFrames.ReadAsync(connection, _stop.Token) is { } frame)
                {
                    frames++;
                    var answer = frame.Command == BoltFrames.CommandHeartbeat ? BoltFrames.HeartbeatAck(frame.Id) : BoltFrames.Response(frame.Id);
                    await connection.SendAsync(answer, SocketFlags.None, _stop.Token);
                    if (frame.Command != BoltFrames.CommandHeartbeat)
                    {
                        Interlocked.Increment(ref _calls);
                    }
                }

                if (frames == 0)
                {
                    Interlocked.Increment(ref _silentConnections);
                }
            }
            catch (Exception error) when (error is OperationCanceledException or SocketException or IOException)
            {
            }
        }
    }
}
