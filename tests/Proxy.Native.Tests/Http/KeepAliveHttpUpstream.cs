using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MeshEdge.Native.Tests.Http;

/// <summary>
/// A minimal HTTP/1.1 keep-alive origin on a loopback port, one thread per connection: it reads each
/// request (a Content-Length or chunked body is read to its end) and answers a path starting
/// "/chunked" with a chunked body and a trailer, anything else with a Content-Length body.
/// </summary>
internal sealed class KeepAliveHttpUpstream : IDisposable
{
    public static readonly byte[] LengthResponse = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello");
    public static readonly byte[] ChunkedResponse = Encoding.ASCII.GetBytes(
        "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\nx-checksum: 1\r\n\r\n");

    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private int _answered;

    public KeepAliveHttpUpstream()
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(16);
        EndPoint = (IPEndPoint)_listener.LocalEndPoint!;
        new Thread(Accept) { IsBackground = true, Name = "http upstream" }.Start();
    }

    public IPEndPoint EndPoint { get; }

    public int Answered => Volatile.Read(ref _answered);

    public void Dispose() => _listener.Dispose();

    private void Accept()
    {
        try
        {
            while (true)
            {
                var socket = _listener.Accept();
                socket.NoDelay = true;
                new Thread(() => Serve(socket)) { IsBackground = true, Name = "http upstream connection" }.Start();
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    private void Serve(Socket socket)
    {
        using var reader = new SocketReader(socket);
        try
        {
            while (reader.ReadHead() is { } head)
            {
                reader.SkipBody(head);
                var chunked = head.Contains(" /chunked", StringComparison.Ordinal);
                socket.Send(chunked ? ChunkedResponse : LengthResponse);
                Interlocked.Increment(ref _answered);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }
}
