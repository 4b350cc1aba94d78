using System.Net;
using System.Net.Sockets;

namespace MeshEdge.Functional.Tests.Harness;

/// <summary>
/// Steady HTTP/1.1 keep-alive load: a few client connections, each sending one GET at a time at a
/// fixed pace and checking that the body names its own path. A response with <c>connection: close</c>
/// ends the connection and the next request opens a new one, as any client does. A request on a
/// reused connection that the server closed before answering a single byte is retried once on a new
/// connection, as RFC 9112 section 9.3.1 lets a client do for an idempotent request; such retries
/// are counted apart. Anything else (a reset or end of stream mid-response, a wrong status or body,
/// a refused connect) is a failure.
/// </summary>
internal sealed class HttpKeepAliveLoad(IPEndPoint target, int connections, TimeSpan pace) : PacedHttpLoad(connections)
{
    private long _completed;
    private long _retriedAfterIdleClose;
    private long _connectionsOpened;
    private long _closedByServer;

    public long Completed => Interlocked.Read(ref _completed);

    public long RetriedAfterIdleClose => Interlocked.Read(ref _retriedAfterIdleClose);

    public long ConnectionsOpened => Interlocked.Read(ref _connectionsOpened);

    /// <summary>Responses that said connection: close (the draining process ending a keep-alive connection).</summary>
    public long ClosedByServer => Interlocked.Read(ref _closedByServer);

    protected override async Task RunAsync(int id)
    {
        Socket? socket = null;
        var reused = false;
        var buffer = new byte[16 * 1024];
        for (var n = 0; !Stopping; n++)
        {
            var path = $"/c{id}/r{n}";
            var attempt = 0;
            while (true)
            {
                if (socket is null)
                {
                    try
                    {
                        socket = await Loopback.ConnectAsync(target);
                        Interlocked.Increment(ref _connectionsOpened);
                        reused = false;
                    }
                    catch (Exception ex)
                    {
                        Fail($"{path}: connect failed: {ex.Message}");
                        break;
                    }
                }

                var response = await ExchangeAsync(socket, Get(path), buffer);
                var error = response.Error
                    ?? (response.Status != 200 || response.Body != "ok " + path ? $"unexpected response {response.StatusLine} / {response.Body}" : null);
                if (error is null)
                {
                    Interlocked.Increment(ref _completed);
                    reused = true;
                    if (response.Close)
                    {
                        Interlocked.Increment(ref _closedByServer);
                        socket.Dispose();
                        socket = null;
                    }

                    break;
                }

                socket.Dispose();
                socket = null;
                if (response.Error is not null && response.Received == 0 && reused && attempt++ == 0)
                {
                    Interlocked.Increment(ref _retriedAfterIdleClose);
                    continue;
                }

                Fail($"{path}: {error}");
                break;
            }

            if (!await WaitAsync(pace))
            {
                break;
            }
        }

        socket?.Dispose();
    }
}
