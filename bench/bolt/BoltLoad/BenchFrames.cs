using System.Buffers.Binary;
using System.Text;

namespace MeshEdge.Bench.BoltLoad;

/// <summary>Bolt v1 frames as SOFA writes them, built by hand: a request with a <c>service</c> header, and its response.</summary>
internal static class BenchFrames
{
    public const int RequestHeaderLength = 22;
    public const int ResponseHeaderLength = 20;
    public const int IdOffset = 5;

    private static readonly byte[] RequestClass = Encoding.ASCII.GetBytes("com.alipay.sofa.rpc.core.request.SofaRequest");
    private static readonly byte[] ResponseClass = Encoding.ASCII.GetBytes("com.alipay.sofa.rpc.core.response.SofaResponse");

    /// <summary>A request template; callers patch the id at <see cref="IdOffset"/>.</summary>
    public static byte[] Request(string service, int contentLength)
    {
        var key = Encoding.ASCII.GetBytes("service");
        var value = Encoding.ASCII.GetBytes(service);
        var headerLength = 8 + key.Length + value.Length;
        var frame = new byte[RequestHeaderLength + RequestClass.Length + headerLength + contentLength];
        var span = frame.AsSpan();
        span[0] = 1;                 // proto v1
        span[1] = 1;                 // type: request
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], 1); // cmdcode: rpc request
        span[4] = 1;                 // ver2
        span[9] = 1;                 // codec: hessian2
        BinaryPrimitives.WriteInt32BigEndian(span[10..], 3000);
        BinaryPrimitives.WriteUInt16BigEndian(span[14..], (ushort)RequestClass.Length);
        BinaryPrimitives.WriteUInt16BigEndian(span[16..], (ushort)headerLength);
        BinaryPrimitives.WriteInt32BigEndian(span[18..], contentLength);
        var at = RequestHeaderLength;
        RequestClass.CopyTo(span[at..]);
        at += RequestClass.Length;
        BinaryPrimitives.WriteInt32BigEndian(span[at..], key.Length);
        key.CopyTo(span[(at + 4)..]);
        at += 4 + key.Length;
        BinaryPrimitives.WriteInt32BigEndian(span[at..], value.Length);
        value.CopyTo(span[(at + 4)..]);
        at += 4 + value.Length;
        span[at..].Fill((byte)'x');
        return frame;
    }

    /// <summary>A success response template; the server patches the id.</summary>
    public static byte[] Response(int contentLength)
    {
        var frame = new byte[ResponseHeaderLength + ResponseClass.Length + contentLength];
        var span = frame.AsSpan();
        span[0] = 1;
        span[1] = 0;                 // type: response
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], 2);
        span[4] = 1;
        span[9] = 1;
        BinaryPrimitives.WriteUInt16BigEndian(span[12..], (ushort)ResponseClass.Length);
        BinaryPrimitives.WriteInt32BigEndian(span[16..], contentLength);
        ResponseClass.CopyTo(span[ResponseHeaderLength..]);
        span[(ResponseHeaderLength + ResponseClass.Length)..].Fill((byte)'y');
        return frame;
    }

    /// <summary>The whole length of the v1 frame starting <paramref name="data"/>, or 0 when its header is incomplete.</summary>
    public static int FrameLength(ReadOnlySpan<byte> data)
    {
        if (data.Length < 2)
        {
            return 0;
        }

        if (data[1] == 0)
        {
            return data.Length < ResponseHeaderLength ? 0 : ResponseHeaderLength
                + BinaryPrimitives.ReadUInt16BigEndian(data[12..]) + BinaryPrimitives.ReadUInt16BigEndian(data[14..])
                + BinaryPrimitives.ReadInt32BigEndian(data[16..]);
        }

        return data.Length < RequestHeaderLength ? 0 : RequestHeaderLength
            + BinaryPrimitives.ReadUInt16BigEndian(data[14..]) + BinaryPrimitives.ReadUInt16BigEndian(data[16..])
            + BinaryPrimitives.ReadInt32BigEndian(data[18..]);
    }
}
