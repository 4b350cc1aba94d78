using System.Buffers.Binary;
using System.Net.Sockets;
using MeshEdge.Codecs.Tests.Bolt;

namespace MeshEdge.Packaging.Tests.Harness;

/// <summary>
/// Bolt v1 frames as SOFA's own sofa-bolt-node 2.0.1 writes them (the codec tests' golden frames,
/// compiled in here too: a call of com.alipay.test.TestService:1.0 plus(1, 2) and its answer 3), with
/// the request id set per use, and a reader for whole frames. Enough of Bolt for a packaging test to
/// make real calls through the proxy without node.
/// </summary>
internal static class BoltFrames
{
    public const byte TypeResponse = 0;
    public const ushort CommandHeartbeat = 0;

    // v1 layout: proto, type, cmdcode (2), ver2, request id (4), codec, then for a request the timeout
    // (4) and for a response the status (2); then class, header (2 each) and content (4) lengths.
    private const int IdOffset = 5;
    private const int RequestHeaderLength = 22;
    private const int ResponseHeaderLength = 20;

    public static byte[] Request(uint id) => WithId(BoltGoldenFrames.V1Request, id);

    public static byte[] Response(uint id) => WithId(BoltGoldenFrames.V1Response, id);

    public static byte[] HeartbeatAck(uint id) => WithId(BoltGoldenFrames.V1HeartbeatAck, id);

    /// <summary>The next whole frame from <paramref name="socket"/>, or null at a clean end of stream before its first byte.</summary>
    public static async Task<BoltFrame?> ReadAsync(Socket socket, CancellationToken cancel)
    {
        var start = new byte[2];
        if (!await ReadExactlyAsync(socket, start, cancel))
        {
            return null;
        }

        var headerLength = start[1] == TypeResponse ? ResponseHeaderLength : RequestHeaderLength;
        var header = new byte[headerLength];
        start.CopyTo(header, 0);
        if (!await ReadExactlyAsync(socket, header.AsMemory(2), cancel))
        {
            throw new IOException("the peer closed inside a Bolt frame header");
        }

        var lengths = header.AsSpan(headerLength - 8);
        var bodyLength = BinaryPrimitives.ReadUInt16BigEndian(lengths) + BinaryPrimitives.ReadUInt16BigEndian(lengths[2..]) + (int)BinaryPrimitives.ReadUInt32BigEndian(lengths[4..]);
        var frame = new byte[headerLength + bodyLength];
        header.CopyTo(frame, 0);
        if (!await ReadExactlyAsync(socket, frame.AsMemory(headerLength), cancel))
        {
            throw new IOException("the peer closed inside a Bolt frame body");
        }

        return new BoltFrame(frame);
    }

    private static byte[] WithId(string hex, uint id)
    {
        var frame = Convert.FromHexString(hex);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(IdOffset), id);
        return frame;
    }

    private static async Task<bool> ReadExactlyAsync(Socket socket, Memory<byte> buffer, CancellationToken cancel)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await socket.ReceiveAsync(buffer[read..], SocketFlags.None, cancel);
            if (n == 0)
            {
                return read == 0 ? false : throw new IOException("the peer closed inside a Bolt frame");
            }

            read += n;
        }

        return true;
    }
}
