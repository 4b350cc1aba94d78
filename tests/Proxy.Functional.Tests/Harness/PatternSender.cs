using System.Net.Sockets;

namespace MeshEdge.Functional.Tests.Harness;

/// <summary>
/// Sends a prefix of <see cref="TestPattern"/> and counts what the kernel has taken, so a test can see
/// its own sends stall when the proxy applies back-pressure.
/// </summary>
internal sealed class PatternSender
{
    private long _bytesSent;

    public long BytesSent => Interlocked.Read(ref _bytesSent);

    public async Task SendAsync(Socket socket, long length, CancellationToken cancellation = default)
    {
        var buffer = new byte[64 * 1024];
        long offset = 0;
        while (offset < length)
        {
            var chunk = (int)Math.Min(buffer.Length, length - offset);
            TestPattern.Fill(offset, buffer.AsSpan(0, chunk));
            await Loopback.SendAllAsync(socket, buffer.AsMemory(0, chunk), cancellation);
            offset += chunk;
            Interlocked.Add(ref _bytesSent, chunk);
        }
    }
}
