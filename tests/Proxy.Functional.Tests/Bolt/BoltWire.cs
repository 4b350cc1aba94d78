using System.Buffers.Binary;
using System.Net.Sockets;
using MeshEdge.Functional.Tests.Harness;

namespace MeshEdge.Functional.Tests.Bolt;

/// <summary>
/// Bolt v1 on a raw socket, for tests that must see exactly how the proxy ends a connection (a Node
/// client cannot tell a reset that follows data from a clean close). Requests are encoded by
/// sofa-bolt-node itself (tests/interop/bolt/encode.js); responses are read by their header.
/// </summary>
internal static class BoltWire
{
    /// <summary>proto, type, cmdcode (2), ver2, request id (4), codec, status (2), class, header (2 each) and content (4) lengths.</summary>
    private const int ResponseHeaderLength = 20;

    /// <summary>One request frame per call, with request ids 1, 2, ... in order.</summary>
    public static async Task<byte[][]> EncodeRequestsAsync(params BoltCall[] calls)
    {
        await using var encoder = await NodeProcess.StartAsync("encode.js", new
        {
            calls = calls.Select(c => new { service = c.Service, method = c.Method, args = c.Args, count = c.Count, timeoutMs = c.TimeoutMs }),
        });
        var encoded = await encoder.WaitForAsync("encoded", TimeSpan.FromSeconds(30));
        return [.. encoded.GetProperty("frames").EnumerateArray().Select(frame => Convert.FromHexString(frame.GetProperty("hex").GetString()!))];
    }

    /// <summary>A Bolt v1 heartbeat request (22 bytes): the proxy answers it itself, no server involved.</summary>
    public static byte[] Heartbeat(int id) =>
        [0x01, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, (byte)id, 0x01, 0x00, 0x00, 0x0B, 0xB8, 0, 0, 0, 0, 0, 0, 0, 0];

    /// <summary>Reads one whole response frame (a heartbeat ack too: a response with no body).</summary>
    public static async Task<BoltWireResponse> ReceiveResponseAsync(Socket socket)
    {
        var header = await Loopback.ReceiveExactlyAsync(socket, ResponseHeaderLength);
        var rest = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(12))
            + BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(14))
            + (int)BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(16));
        if (rest > 0)
        {
            await Loopback.ReceiveExactlyAsync(socket, rest);
        }

        return new BoltWireResponse(BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(5)), BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(10)));
    }
}
