using System.Net;
using System.Net.Sockets;

namespace MeshEdge.Functional.Tests.Backends;

/// <summary>
/// A loopback address where connects neither succeed nor fail: the only loopback way to exercise a
/// connect timeout. A listen socket with backlog 0 holds one connection in its accept queue; it is
/// filled and never accepted, and Linux then drops further SYNs, so a connect waits for SYN retries.
/// The constructor proves this holds on the machine instead of trusting it.
/// </summary>
internal sealed class BlackHolePort : IDisposable
{
    private readonly Socket _listener;
    private readonly List<Socket> _fillers = [];

    private BlackHolePort(Socket listener)
    {
        _listener = listener;
        EndPoint = (IPEndPoint)listener.LocalEndPoint!;
    }

    public IPEndPoint EndPoint { get; }

    public static async Task<BlackHolePort> StartAsync()
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        var blackHole = new BlackHolePort(listener);
        try
        {
            await blackHole.FillAcceptQueueAsync();
            return blackHole;
        }
        catch
        {
            blackHole.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var filler in _fillers)
        {
            filler.Dispose();
        }

        _listener.Dispose();
    }

    private async Task FillAcceptQueueAsync()
    {
        // Connect until one attempt hangs; on current kernels the first fills the queue of a backlog-0 listener.
        for (var attempt = 0; attempt < 4; attempt++)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            _fillers.Add(socket);
            using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(700));
            try
            {
                await socket.ConnectAsync(EndPoint, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                // This one hangs: the queue is full. Drop it so its SYN retries stop, and check once more.
                _fillers.Remove(socket);
                socket.Dispose();
                if (await ProbeHangsAsync())
                {
                    return;
                }
            }
        }

        throw new InvalidOperationException("could not make a black-hole port on loopback: connects keep completing");
    }

    private async Task<bool> ProbeHangsAsync()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(700));
        try
        {
            await probe.ConnectAsync(EndPoint, deadline.Token);
            return false;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }
}
