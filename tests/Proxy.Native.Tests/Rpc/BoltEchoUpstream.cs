using System.Net;
using System.Net.Sockets;

namespace MeshEdge.Native.Tests.Rpc;

/// <summary>
/// A Bolt upstream on a loopback port: one thread per connection answers every request with a
/// success response carrying the request's id, and counts what it answered.
/// </summary>
internal sealed class BoltEchoUpstream : IDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly List<Socket> _connections = [];
    private long _answered;

    public BoltEchoUpstream()
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(16);
        new Thread(AcceptLoop) { IsBackground = true, Name = "bolt upstream" }.Start();
    }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndPoint!;

    public long Answered => Interlocked.Read(ref _answered);

    public void Dispose()
    {
        _listener.Dispose();
        lock (_connections)
        {
            _connections.ForEach(connection => connection.Dispose());
        }
    }

    private void AcceptLoop()
    {
        try
        {
            while (true)
            {
                var connection = _listener.Accept();
                connection.NoDelay = true;
                lock (_connections)
                {
                    _connections.Add(connection);
                }

                new Thread(() => Serve(connection)) { IsBackground = true, Name = "bolt upstream connection" }.Start();
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Disposed: the test is over.
        }
    }

    private void Serve(Socket connection)
    {
        var request = new byte[64 * 1024];
        var response = new byte[BoltWire.ResponseLength];
        try
        {
            while (ReceiveExactly(connection, request.AsSpan(0, BoltWire.RequestHeaderLength)))
            {
                var length = BoltWire.RequestLength(request);
                if (!ReceiveExactly(connection, request.AsSpan(BoltWire.RequestHeaderLength, length - BoltWire.RequestHeaderLength)))
                {
                    return;
                }

                BoltWire.WriteResponse(BoltWire.Id(request), response);
                // Counted before the send: the test reads the count as soon as the last answer reaches it.
                Interlocked.Increment(ref _answered);
                connection.Send(response);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // The proxy closed the connection, or the test is over.
        }
    }

    private static bool ReceiveExactly(Socket connection, Span<byte> into)
    {
        while (!into.IsEmpty)
        {
            var n = connection.Receive(into);
            if (n == 0)
            {
                return false;
            }

            into = into[n..];
        }

        return true;
    }
}
