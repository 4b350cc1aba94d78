using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace MeshEdge.Functional.Tests.Backends;

/// <summary>
/// A loopback TCP server that runs one handler per accepted connection. The specific backends (echo,
/// source, sink) are handlers over this; tests with one-off behaviour pass a lambda. It counts accepted
/// and finished connections so tests can see what reached the upstream side of the proxy.
/// </summary>
internal sealed class TcpBackend : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly Func<Socket, CancellationToken, Task> _handler;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Socket, Task> _connections = new();
    private readonly ConcurrentQueue<Exception> _errors = new();
    private readonly Task _acceptLoop;
    private int _accepted;
    private int _closed;

    private TcpBackend(Socket listener, Func<Socket, CancellationToken, Task> handler)
    {
        _listener = listener;
        _handler = handler;
        EndPoint = (IPEndPoint)listener.LocalEndPoint!;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public IPEndPoint EndPoint { get; }

    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>Connections whose handler has finished and whose socket is closed.</summary>
    public int Closed => Volatile.Read(ref _closed);

    /// <summary>Handler failures other than the connection being reset or the server stopping.</summary>
    public IReadOnlyCollection<Exception> Errors => _errors;

    /// <summary>Listens on <paramref name="bindTo"/> (default 127.0.0.1, ephemeral port).</summary>
    public static TcpBackend Start(Func<Socket, CancellationToken, Task> handler, IPEndPoint? bindTo = null)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(bindTo ?? new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(1024);
            return new TcpBackend(listener, handler);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    /// <summary>Fails the test if any handler threw something other than a reset.</summary>
    public void AssertNoErrors()
    {
        Assert.True(_errors.IsEmpty, "backend handler failed: " + string.Join("\n", _errors));
    }

    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        _listener.Dispose();
        foreach (var socket in _connections.Keys)
        {
            socket.Dispose();
        }

        try
        {
            await Task.WhenAll([_acceptLoop, .. _connections.Values]).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception)
        {
            // Handlers end with whatever their disposed socket throws; only their behaviour before matters.
        }

        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await _listener.AcceptAsync(_stopping.Token);
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                return;
            }

            connection.NoDelay = true;
            Interlocked.Increment(ref _accepted);
            _connections[connection] = Task.Run(() => ServeAsync(connection));
        }
    }

    private async Task ServeAsync(Socket connection)
    {
        try
        {
            await _handler(connection, _stopping.Token);
        }
        catch (Exception error) when (IsExpected(error))
        {
        }
        catch (Exception error)
        {
            _errors.Enqueue(error);
        }
        finally
        {
            connection.Dispose();
            Interlocked.Increment(ref _closed);
        }
    }

    // A proxy closing the upstream (idle timeout, drain) shows up as a reset; stopping the server as
    // cancellation or a disposed socket. Neither says anything about the bytes that were exchanged.
    private bool IsExpected(Exception error) =>
        error is SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.Shutdown or SocketError.ConnectionAborted }
        || (_stopping.IsCancellationRequested && error is OperationCanceledException or ObjectDisposedException or SocketException);
}
