using System.Buffers.Binary;
using System.Text;

namespace MeshEdge.Native.Tests.Rpc;

/// <summary>
/// Bolt v1 frames as the tests' client and upstream write them (layout in PROTOCOLS.md): a request
/// carrying a service header, and the success response the upstream echoes back with its id.
/// </summary>
internal static class BoltWire
{
    public const int RequestHeaderLength = 22;
    public const int ResponseHeaderLength = 20;

    private static readonly byte[] RequestClass = Encoding.ASCII.GetBytes("com.alipay.sofa.rpc.core.request.SofaRequest");
    private static readonly byte[] ResponseClass = Encoding.ASCII.GetBytes("com.alipay.sofa.rpc.core.response.SofaResponse");
    private static readonly byte[] ResponseContent = [0x91, 0x92];

    public static readonly int ResponseLength = ResponseHeaderLength + ResponseClass.Length + ResponseContent.Length;

    /// <summary>
    /// A v1 request with id <paramref name="id"/>, header map {service: <paramref name="service"/>,
    /// then <paramref name="extraHeaders"/>} and a few content bytes.
    /// </summary>
    public static byte[] Request(uint id, string service, params (string Name, string Value)[] extraHeaders) =>
        Request(id, service, [0xAA, 0xBB, 0xCC], extraHeaders);

    /// <summary>
    /// A hessian2 request whose content is a SofaRequest (Hessian 2.0) naming <paramref name="method"/>
    /// (after a null targetAppName, as Java SOFARPC writes it), followed by <paramref name="arguments"/>.
    /// </summary>
    public static byte[] SofaRequest(uint id, string service, string method, string arguments)
    {
        byte[] content =
        [
            (byte)'C', 0x30, (byte)RequestClass.Length, .. RequestClass, 0x92,
            13, .. "targetAppName"u8, 10, .. "methodName"u8,
            0x60, (byte)'N', (byte)method.Length, .. Encoding.ASCII.GetBytes(method),
            .. Encoding.ASCII.GetBytes(arguments),
        ];
        return Request(id, service, content);
    }

    private static byte[] Request(uint id, string service, byte[] content, params (string Name, string Value)[] extraHeaders)
    {
        byte[] headers = [.. Entry("service"), .. Entry(service), .. extraHeaders.SelectMany(h => Entry(h.Name).Concat(Entry(h.Value)))];
        var frame = new byte[RequestHeaderLength + RequestClass.Length + headers.Length + content.Length];
        frame[0] = 0x01; // proto: v1
        frame[1] = 0x01; // type: request
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), 1); // cmdcode: RPC request
        frame[4] = 0x01; // ver2
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(5), id);
        frame[9] = 0x01; // codec: hessian2
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(10), 30_000); // timeout ms
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(14), (ushort)RequestClass.Length);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(16), (ushort)headers.Length);
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(18), content.Length);
        RequestClass.CopyTo(frame, RequestHeaderLength);
        headers.CopyTo(frame, RequestHeaderLength + RequestClass.Length);
        content.CopyTo(frame, RequestHeaderLength + RequestClass.Length + headers.Length);
        return frame;
    }

    /// <summary>The whole length of the request whose 22-byte header is <paramref name="header"/>.</summary>
    public static int RequestLength(ReadOnlySpan<byte> header) =>
        RequestHeaderLength
        + BinaryPrimitives.ReadUInt16BigEndian(header[14..])
        + BinaryPrimitives.ReadUInt16BigEndian(header[16..])
        + BinaryPrimitives.ReadInt32BigEndian(header[18..]);

    /// <summary>The whole length of the v1 response whose 20-byte header is <paramref name="header"/>.</summary>
    public static int ResponseLengthOf(ReadOnlySpan<byte> header) =>
        ResponseHeaderLength
        + BinaryPrimitives.ReadUInt16BigEndian(header[12..])
        + BinaryPrimitives.ReadUInt16BigEndian(header[14..])
        + BinaryPrimitives.ReadInt32BigEndian(header[16..]);

    public static uint Id(ReadOnlySpan<byte> frame) => BinaryPrimitives.ReadUInt32BigEndian(frame[5..]);

    /// <summary>The response status of a v1 response frame (0 is SUCCESS).</summary>
    public static ushort Status(ReadOnlySpan<byte> response) => BinaryPrimitives.ReadUInt16BigEndian(response[10..]);

    /// <summary>A v1 SUCCESS response with id <paramref name="id"/>, <see cref="ResponseLength"/> bytes, written into <paramref name="into"/>.</summary>
    public static void WriteResponse(uint id, Span<byte> into)
    {
        into[0] = 0x01; // proto: v1
        into[1] = 0x00; // type: response
        BinaryPrimitives.WriteUInt16BigEndian(into[2..], 2); // cmdcode: RPC response
        into[4] = 0x01; // ver2
        BinaryPrimitives.WriteUInt32BigEndian(into[5..], id);
        into[9] = 0x01; // codec: hessian2
        BinaryPrimitives.WriteUInt16BigEndian(into[10..], 0); // status: SUCCESS
        BinaryPrimitives.WriteUInt16BigEndian(into[12..], (ushort)ResponseClass.Length);
        BinaryPrimitives.WriteUInt16BigEndian(into[14..], 0); // no header map
        BinaryPrimitives.WriteInt32BigEndian(into[16..], ResponseContent.Length);
        ResponseClass.CopyTo(into[ResponseHeaderLength..]);
        ResponseContent.CopyTo(into[(ResponseHeaderLength + ResponseClass.Length)..]);
    }

    private static byte[] Entry(string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        var entry = new byte[4 + bytes.Length];
        BinaryPrimitives.WriteInt32BigEndian(entry, bytes.Length);
        bytes.CopyTo(entry, 4);
        return entry;
    }
}
