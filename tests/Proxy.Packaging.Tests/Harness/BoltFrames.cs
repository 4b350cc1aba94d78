using System.Buffers.Binary;
using System.Net.Sockets;

namespace MeshEdge.Packaging.Tests.Harness;

/// <summary>
/// Bolt v1 frames as SOFA's own sofa-bolt-node 2.0.1 writes them (the same golden frames as
/// tests/Proxy.Codecs.Tests/Bolt/BoltGoldenFrames.cs: a call of com.alipay.test.TestService:1.0 plus(1, 2)
/// and its answer 3), with the request id set per use, and a reader for whole frames. Enough of Bolt
/// for a packaging test to make real calls through the proxy without node.
/// </summary>
internal static class BoltFrames
{
    public const byte TypeResponse = 0;
    public const byte TypeRequest = 1;
    public const ushort CommandHeartbeat = 0;

    private const string V1Request =
        "0101000101000000010100000bb8002c002e000000ca636f6d2e616c697061792e736f66612e7270632e636f72652e72" +
        "6571756573742e536f66615265717565737400000007736572766963650000001f636f6d2e616c697061792e74657374" +
        "2e54657374536572766963653a312e304fbc636f6d2e616c697061792e736f66612e7270632e636f72652e7265717565" +
        "73742e536f666152657175657374950a6d6574686f644e616d650d6d6574686f64417267536967731774617267657453" +
        "657276696365556e697175654e616d650d7461726765744170704e616d650c7265717565737450726f70736f9004706c" +
        "7573567400115b6a6176612e6c616e672e537472696e676e0203696e7403696e747a1f636f6d2e616c697061792e7465" +
        "73742e54657374536572766963653a312e3004746573744e9192";

    private const string V1Response =
        "010000020100000001010000002e000000000062636f6d2e616c697061792e736f66612e7270632e636f72652e726573" +
        "706f6e73652e536f6661526573706f6e73654fbe636f6d2e616c697061792e736f66612e7270632e636f72652e726573" +
        "706f6e73652e536f6661526573706f6e7365940769734572726f72086572726f724d73670b617070526573706f6e7365" +
        "0d726573706f6e736550726f70736f90464e934e";

    private const string V1HeartbeatAck = "0100000001000000070100000000000000000000";

    // v1 layout: proto, type, cmdcode (2), ver2, request id (4), codec, then for a request the timeout
    // (4) and for a response the status (2); then class, header (2 each) and content (4) lengths.
    private const int IdOffset = 5;
    private const int RequestHeaderLength = 22;
    private const int ResponseHeaderLength = 20;

    public static byte[] Request(uint id) => WithId(V1Request, id);

    public static byte[] Response(uint id) => WithId(V1Response, id);

    public static byte[] HeartbeatAck(uint id) => WithId(V1HeartbeatAck, id);

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
