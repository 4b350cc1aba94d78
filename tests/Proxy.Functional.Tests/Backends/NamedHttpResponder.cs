using System.Net.Sockets;
using System.Text;

namespace MeshEdge.Functional.Tests.Backends;

/// <summary>
/// A keep-alive HTTP/1.1 backend for health tests: every request (bodies are not expected) is
/// answered with the status the test currently wants and the backend's name as the body, and counted.
/// </summary>
internal sealed class NamedHttpResponder
{
    private readonly string _name;
    private readonly Func<string, int> _status;
    private int _requests;

    private NamedHttpResponder(string name, Func<string, int> status)
    {
        _name = name;
        _status = status;
    }

    /// <summary>Requests answered so far.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <param name="status">The status for a request head (request line first, e.g. "GET /healthz HTTP/1.1", then the fields).</param>
    /// <param name="bindTo">Where to listen; 127.0.0.1 on an ephemeral port when null.</param>
    public static (TcpBackend Backend, NamedHttpResponder Responder) Start(string name, Func<string, int> status, System.Net.IPEndPoint? bindTo = null)
    {
        var responder = new NamedHttpResponder(name, status);
        return (TcpBackend.Start(responder.ServeAsync, bindTo), responder);
    }

    private async Task ServeAsync(Socket socket, CancellationToken stopping)
    {
        var buffer = new byte[16 * 1024];
        var received = 0;
        while (true)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(received), SocketFlags.None, stopping);
            if (n == 0)
            {
                return;
            }

            received += n;
            var text = Encoding.ASCII.GetString(buffer, 0, received);
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end < 0)
            {
                continue;
            }

            received = 0;
            Interlocked.Increment(ref _requests);
            var status = _status(text[..end]);
            var response = $"HTTP/1.1 {status} X\r\ncontent-length: {_name.Length}\r\n\r\n{_name}";
            await Harness.Loopback.SendAllAsync(socket, Encoding.ASCII.GetBytes(response), stopping);
        }
    }
}
