using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using MeshEdge.Functional.Tests.Harness;

namespace MeshEdge.Functional.Tests.Backends;

/// <summary>
/// A loopback address where connects neither succeed nor fail: the only loopback way to exercise a
/// connect timeout. A listen socket with backlog 0 holds one connection in its accept queue; it is
/// filled and never accepted, and Linux then drops further SYNs (tcp_conn_request: accept queue full),
/// so a connect waits for SYN retries. The constructor proves this holds on the machine instead of
/// trusting it: a probe's SYN must show up in the listener's own drop count (SO_MEMINFO), which the
/// kernel raises as it drops it, so no wait for a connect that might still complete is needed.
/// </summary>
internal sealed class BlackHolePort : IDisposable
{
    /// <summary>Kernel events on loopback happen within microseconds; this only bounds a broken machine.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private const int SolSocket = 1;
    private const int SoMemInfo = 55;
    private const int SkMemInfoDrops = 8;
    private const int SkMemInfoCount = 9;
    private const int IpProtoTcp = 6;
    private const int TcpInfo = 11;

    /// <summary>On a listener, struct tcp_info's tcpi_unacked is the accept queue's length and tcpi_sacked its backlog.</summary>
    private const int TcpInfoUnackedOffset = 24;
    private const int TcpInfoSackedOffset = 28;

    private readonly Socket _listener;
    private readonly Socket _filler = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

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
            await blackHole.ProveSynsDroppedAsync();
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
        _filler.Dispose();
        _listener.Dispose();
    }

    /// <summary>
    /// One connect fills the queue of a backlog-0 listener. Its ACK may still be on its way when the
    /// connect returns, so the queue itself is watched. (Without SYN cookies the kernel drops even this
    /// SYN, as the empty SYN queue already counts as full: then the drop shows instead.)
    /// </summary>
    private async Task FillAcceptQueueAsync()
    {
        var connecting = _filler.ConnectAsync(EndPoint);
        if (!await Progress.WaitUntilAsync(() => AcceptQueueFull() || Drops() > 0, Patience))
        {
            throw new InvalidOperationException($"could not make a black-hole port on loopback: the accept queue of {EndPoint} did not fill ({AcceptQueueText()})");
        }

        // A connect that can never complete is left pending; disposing the socket ends it.
        _ = connecting.ContinueWith(static t => t.Exception, TaskScheduler.Default);
    }

    private async Task ProveSynsDroppedAsync()
    {
        var dropsBefore = Drops();
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var cancel = new CancellationTokenSource();
        var connecting = probe.ConnectAsync(EndPoint, cancel.Token).AsTask();
        var dropped = await Progress.WaitUntilAsync(() => Drops() > dropsBefore || connecting.IsCompleted, Patience);
        var connected = connecting.IsCompletedSuccessfully;
        await cancel.CancelAsync();
        try
        {
            await connecting;
        }
        catch (OperationCanceledException)
        {
            // The expected end: the probe's SYN was dropped and the connect given up.
        }
        catch (SocketException)
        {
            // Refused or reset: reported below as not a black hole.
        }

        if (!dropped || connected || Drops() == dropsBefore)
        {
            throw new InvalidOperationException(
                $"could not make a black-hole port on loopback: a connect to {EndPoint} was {(connected ? "accepted" : "not dropped")} ({AcceptQueueText()}, drops {Drops() - dropsBefore})");
        }
    }

    private bool AcceptQueueFull()
    {
        var (length, backlog) = AcceptQueue();
        return length > backlog;
    }

    private string AcceptQueueText()
    {
        var (length, backlog) = AcceptQueue();
        return $"accept queue {length}, backlog {backlog}";
    }

    private (uint Length, uint Backlog) AcceptQueue()
    {
        Span<byte> info = stackalloc byte[TcpInfoSackedOffset + sizeof(uint)];
        var length = _listener.GetRawSocketOption(IpProtoTcp, TcpInfo, info);
        if (length < info.Length)
        {
            throw new InvalidOperationException($"TCP_INFO on a listener returned {length} bytes");
        }

        return (BinaryPrimitives.ReadUInt32LittleEndian(info[TcpInfoUnackedOffset..]), BinaryPrimitives.ReadUInt32LittleEndian(info[TcpInfoSackedOffset..]));
    }

    /// <summary>SYNs (and other packets) the kernel dropped for the listener: SK_MEMINFO_DROPS.</summary>
    private uint Drops()
    {
        Span<byte> meminfo = stackalloc byte[SkMemInfoCount * sizeof(uint)];
        var length = _listener.GetRawSocketOption(SolSocket, SoMemInfo, meminfo);
        if (length < meminfo.Length)
        {
            throw new InvalidOperationException($"SO_MEMINFO returned {length} bytes");
        }

        return BinaryPrimitives.ReadUInt32LittleEndian(meminfo[(SkMemInfoDrops * sizeof(uint))..]);
    }
}
