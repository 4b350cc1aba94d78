using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MeshEdge.Packaging.Tests.Harness;

/// <summary>
/// An HTTP/1.1 server on 127.0.0.1 (port chosen by the kernel) for GETs: every request is answered
/// 200 with the body "ok", on a keep-alive connection unless the request asks to close. It counts the
/// proxy's health-check probes (user-agent meshedge-health-check) apart from proxied requests.
/// </summary>
internal sealed class HttpUpstream : IAsyncDisposable
{
    private static readonly byte[] Answer = "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 2\r\n\r\nok"u8.ToArray();

    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private int _requests;
    private int _healthChecks;

    public HttpUpstream()
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>Requests answered, health-check probes not included.</summary>
    public int Requests => Volatile.Read(ref _requests);

    public int HealthChecks => Volatile.Read(ref _healthChecks);

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
                var pending = new StringBuilder();
                var buffer = new byte[4096];
                while (true)
                {
                    var end = pending.ToString().IndexOf("\r\n\r\n", StringComparison.Ordinal);
                    if (end < 0)
                    {
                        var n = await connection.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                        if (n == 0)
                        {
                            return;
                        }

                        pending.Append(Encoding.ASCII.GetString(buffer, 0, n));
                        continue;
                    }

                    var head = pending.ToString(0, end).ToLowerInvariant();
                    pending.Remove(0, end + 4);
                    Interlocked.Increment(ref head.Contains("\r\nuser-agent: meshedge-health-check", StringComparison.Ordinal) ? ref _healthChecks : ref _requests);
                    await connection.SendAsync(Answer, SocketFlags.None, _stop.Token);
                    if (head.Contains("\r\nconnection: close", StringComparison.Ordinal))
                    {
                        connection.Shutdown(SocketShutdown.Send);
                        return;
                    }
                }
            }
            catch (Exception error) when (error is OperationCanceledException or SocketException)
            {
            }
        }
    }
}
