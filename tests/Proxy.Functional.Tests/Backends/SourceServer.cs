using System.Net.Sockets;
using MeshEdge.Functional.Tests.Harness;

namespace MeshEdge.Functional.Tests.Backends;

/// <summary>
/// Sends <see cref="Length"/> bytes of <see cref="TestPattern"/> to each connection, shuts down its side,
/// then reads until the peer closes. <see cref="BytesSent"/> counts bytes the kernel has taken, so it
/// stops moving when the path back-pressures.
/// </summary>
internal sealed class SourceServer : IAsyncDisposable
{
    private long _bytesSent;

    private SourceServer(long length)
    {
        Length = length;
        Backend = TcpBackend.Start(SendAsync);
    }

    public long Length { get; }

    public TcpBackend Backend { get; }

    public System.Net.IPEndPoint EndPoint => Backend.EndPoint;

    public long BytesSent => Interlocked.Read(ref _bytesSent);

    public static SourceServer Start(long length) => new(length);

    public ValueTask DisposeAsync() => Backend.DisposeAsync();

    private async Task SendAsync(Socket connection, CancellationToken stopping)
    {
        var buffer = new byte[64 * 1024];
        long offset = 0;
        while (offset < Length)
        {
            var chunk = (int)Math.Min(buffer.Length, Length - offset);
            TestPattern.Fill(offset, buffer.AsSpan(0, chunk));
            await Loopback.SendAllAsync(connection, buffer.AsMemory(0, chunk), stopping);
            offset += chunk;
            Interlocked.Add(ref _bytesSent, chunk);
        }

        connection.Shutdown(SocketShutdown.Send);
        while (await connection.ReceiveAsync(buffer, SocketFlags.None, stopping) > 0)
        {
        }
    }
}
