using System.Net;
using System.Net.Sockets;

namespace MeshEdge.Functional.Tests.Harness;

/// <summary>Client-side socket helpers with deadlines, so a misbehaving proxy fails a test instead of hanging it.</summary>
internal static class Loopback
{
    /// <summary>Liveness bound for single operations; generous because the machine is small and noisy.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    public static async Task<Socket> ConnectAsync(IPEndPoint endPoint, TimeSpan? timeout = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var deadline = new CancellationTokenSource(timeout ?? DefaultTimeout);
            await socket.ConnectAsync(endPoint, deadline.Token);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public static async Task SendAllAsync(Socket socket, ReadOnlyMemory<byte> data, CancellationToken cancellation = default)
    {
        while (!data.IsEmpty)
        {
            var sent = await socket.SendAsync(data, SocketFlags.None, cancellation);
            data = data[sent..];
        }
    }

    /// <summary>Receives exactly <paramref name="count"/> bytes; fails if the peer closes first or the deadline passes.</summary>
    public static async Task<byte[]> ReceiveExactlyAsync(Socket socket, int count, TimeSpan? timeout = null)
    {
        var buffer = new byte[count];
        using var deadline = new CancellationTokenSource(timeout ?? DefaultTimeout);
        var received = 0;
        try
        {
            while (received < count)
            {
                var n = await socket.ReceiveAsync(buffer.AsMemory(received), SocketFlags.None, deadline.Token);
                if (n == 0)
                {
                    throw new Xunit.Sdk.XunitException($"peer closed after {received} of {count} expected bytes");
                }

                received += n;
            }
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"received {received} of {count} expected bytes before the deadline");
        }

        return buffer;
    }

    /// <summary>Reads until end of stream, feeding <paramref name="verifier"/>; returns when the peer has shut down its side.</summary>
    public static async Task ReceiveToEndAsync(Socket socket, PatternVerifier verifier, CancellationToken cancellation)
    {
        var buffer = new byte[256 * 1024];
        while (true)
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellation);
            if (n == 0)
            {
                return;
            }

            verifier.Feed(buffer.AsSpan(0, n));
        }
    }

    /// <summary>
    /// Waits until the peer closes: end of stream or a reset both count (use <see cref="WaitForEndAsync"/>
    /// to tell them apart). Data still arriving is read and discarded. Returns false if the connection is
    /// still open when <paramref name="timeout"/> passes.
    /// </summary>
    public static async Task<bool> WaitForCloseAsync(Socket socket, TimeSpan timeout) =>
        await WaitForEndAsync(socket, timeout) != ConnectionEnd.StillOpen;

    /// <summary>
    /// Reads (and discards) until the peer ends the connection, and says how: a clean close (its FIN:
    /// a read returns 0) or a reset. <see cref="ConnectionEnd.StillOpen"/> if <paramref name="timeout"/> passes first.
    /// </summary>
    public static async Task<ConnectionEnd> WaitForEndAsync(Socket socket, TimeSpan timeout)
    {
        var buffer = new byte[16 * 1024];
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token) > 0)
            {
            }

            return ConnectionEnd.Closed;
        }
        catch (SocketException)
        {
            return ConnectionEnd.Reset;
        }
        catch (OperationCanceledException)
        {
            return ConnectionEnd.StillOpen;
        }
    }

    /// <summary>True if a connect to <paramref name="endPoint"/> is refused (nothing listening there).</summary>
    public static async Task<bool> IsRefusedAsync(IPEndPoint endPoint)
    {
        try
        {
            using var socket = await ConnectAsync(endPoint, TimeSpan.FromSeconds(5));
            return false;
        }
        catch (SocketException error) when (error.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return true;
        }
    }

    /// <summary>Sends a short message and expects it back unchanged: the connection is proxied end to end.</summary>
    public static async Task AssertEchoesAsync(Socket socket, string message)
    {
        var payload = System.Text.Encoding.ASCII.GetBytes(message);
        await SendAllAsync(socket, payload);
        var echoed = await ReceiveExactlyAsync(socket, payload.Length);
        Assert.Equal(message, System.Text.Encoding.ASCII.GetString(echoed));
    }
}
