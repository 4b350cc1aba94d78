using System.Net;
using System.Net.Sockets;

namespace MeshEdge.Packaging.Tests.Harness;

/// <summary>
/// A test upstream on 127.0.0.1 (port chosen by the kernel): accepts until disposed and serves each
/// connection on its own task. Subclasses say what a connection gets; a socket error or the stop
/// ends a connection quietly, since the proxy in front may close it at any point.
/// </summary>
internal abstract class LoopbackServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private Task? _acceptLoop;
    private int _connections;

    protected LoopbackServer()
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
    }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    protected CancellationToken Stopping => _stop.Token;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            if (_acceptLoop is { } loop)
            {
                await loop;
            }
        }
        catch (Exception error) when (error is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    /// <summary>Starts accepting; called by the subclass's constructor once its own fields are set.</summary>
    protected void Start() => _acceptLoop = Task.Run(AcceptLoopAsync);

    /// <summary>Serves one accepted connection; the base disposes the socket afterwards.</summary>
    protected abstract Task ServeAsync(Socket connection, CancellationToken stopping);

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var connection = await _listener.AcceptSocketAsync(_stop.Token);
            Interlocked.Increment(ref _connections);
            _ = Task.Run(() => ServeOneAsync(connection));
        }
    }

    private async Task ServeOneAsync(Socket connection)
    {
        using (connection)
        {
            try
            {
                await ServeAsync(connection, _stop.Token);
            }
            catch (Exception error) when (error is OperationCanceledException or SocketException or IOException)
            {
            }
        }
    }
}
