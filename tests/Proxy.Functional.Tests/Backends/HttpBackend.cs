using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MeshEdge.Functional.Tests.Backends;

/// <summary>
/// A tiny HTTP/1.1 origin for load tests: every GET gets <c>200</c> with the body <c>ok PATH</c> on a
/// keep-alive connection, so a client can check that each response belongs to its request.
/// Requests with a body are not expected (the load sends GETs only).
/// </summary>
internal static class HttpBackend
{
    public static TcpBackend Start(IPEndPoint? bindTo = null) => TcpBackend.Start(ServeAsync, bindTo);

    private static async Task ServeAsync(Socket connection, CancellationToken stopping)
    {
        var buffer = new byte[16 * 1024];
        var filled = 0;
        while (true)
        {
            var end = IndexOfHeadEnd(buffer.AsSpan(0, filled));
            if (end < 0)
            {
                if (filled == buffer.Length)
                {
                    return;
                }

                var n = await connection.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, stopping);
                if (n == 0)
                {
                    connection.Shutdown(SocketShutdown.Send);
                    return;
                }

                filled += n;
                continue;
            }

            var head = Encoding.ASCII.GetString(buffer, 0, end);
            var path = head.Split(' ', 3)[1];
            var body = "ok " + path;
            var response = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: {body.Length}\r\n\r\n{body}");
            await Harness.Loopback.SendAllAsync(connection, response, stopping);
            var used = end + 4;
            buffer.AsSpan(used, filled - used).CopyTo(buffer);
            filled -= used;
        }
    }

    private static int IndexOfHeadEnd(ReadOnlySpan<byte> bytes) => bytes.IndexOf("\r\n\r\n"u8);
}
