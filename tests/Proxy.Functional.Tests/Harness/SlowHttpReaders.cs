using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace MeshEdge.Functional.Tests.Harness;

/// <summary>
/// Clients that ask a <see cref="Backends.ScriptedHttpBackend"/> behind the proxy for a large body
/// (<c>x-action: big:N</c>) and do not read it, so each connection holds up to buffer_limit of the
/// proxy's pooled buffers: how the overload tests push memory past a budget.
/// </summary>
internal static class SlowHttpReaders
{
    /// <summary>Opens <paramref name="count"/> connections, each with one request for <paramref name="bodyLength"/> bytes, and reads nothing.</summary>
    public static async Task<List<Socket>> StartAsync(ProxyProcess proxy, int count, long bodyLength)
    {
        var readers = new List<Socket>();
        for (var i = 0; i < count; i++)
        {
            var reader = await Loopback.ConnectAsync(proxy.ListenerAddress());
            await Loopback.SendAllAsync(reader, Encoding.ASCII.GetBytes(HttpExchange.Request("GET", "/", "test", $"x-action: big:{bodyLength}")));
            readers.Add(reader);
        }

        return readers;
    }

    /// <summary>Reads until <paramref name="bodyLength"/> bytes or the close (within 120 s); returns the bytes read, head included.</summary>
    public static async Task<long> ReadToEndAsync(Socket socket, long bodyLength)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var buffer = new byte[256 * 1024];
        long total = 0;
        while (total < bodyLength)
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }
}
