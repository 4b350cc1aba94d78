using System.Net.Sockets;
using System.Text;

namespace MeshEdge.Packaging.Tests.Harness;

/// <summary>
/// An HTTP/1.1 server on 127.0.0.1 (port chosen by the kernel) for GETs: every request is answered
/// 200 with the body "ok", on a keep-alive connection unless the request asks to close. It counts the
/// proxy's health-check probes (user-agent meshedge-health-check) apart from proxied requests.
/// </summary>
internal sealed class HttpUpstream : LoopbackServer
{
    private static readonly byte[] Answer = "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 2\r\n\r\nok"u8.ToArray();

    private int _requests;
    private int _healthChecks;

    public HttpUpstream() => Start();

    /// <summary>Requests answered, health-check probes not included.</summary>
    public int Requests => Volatile.Read(ref _requests);

    public int HealthChecks => Volatile.Read(ref _healthChecks);

    protected override async Task ServeAsync(Socket connection, CancellationToken stopping)
    {
        var pending = new StringBuilder();
        var buffer = new byte[4096];
        while (true)
        {
            var end = pending.ToString().IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end < 0)
            {
                var n = await connection.ReceiveAsync(buffer, SocketFlags.None, stopping);
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
            await connection.SendAsync(Answer, SocketFlags.None, stopping);
            if (head.Contains("\r\nconnection: close", StringComparison.Ordinal))
            {
                connection.Shutdown(SocketShutdown.Send);
                return;
            }
        }
    }
}
