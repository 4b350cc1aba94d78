using System.Buffers;
using System.Buffers.Binary;
using MeshEdge.Codecs.Bolt;
using MeshEdge.Codecs.Rpc;
using MeshEdge.Codecs.Tests.TestSupport;
using static MeshEdge.Codecs.Tests.Bolt.BoltTestFrames;

namespace MeshEdge.Codecs.Tests.Bolt;

/// <summary>Every status, in both versions and with v2's CRC, byte for byte.</summary>
public class BoltErrorResponseTests
{
    private static readonly BoltCodec Codec = new();

    /// <summary>The status numbers of PROTOCOLS.md (and sofa-bolt-node's enum/response_status.js).</summary>
    public static TheoryData<int, ushort> Statuses => new()
    {
        { (int)BoltResponseStatus.Success, 0x0000 },
        { (int)BoltResponseStatus.Error, 0x0001 },
        { (int)BoltResponseStatus.ServerException, 0x0002 },
        { (int)BoltResponseStatus.Unknown, 0x0003 },
        { (int)BoltResponseStatus.ServerThreadpoolBusy, 0x0004 },
        { (int)BoltResponseStatus.ErrorComm, 0x0005 },
        { (int)BoltResponseStatus.NoProcessor, 0x0006 },
        { (int)BoltResponseStatus.Timeout, 0x0007 },
        { (int)BoltResponseStatus.ClientSendError, 0x0008 },
        { (int)BoltResponseStatus.CodecException, 0x0009 },
        { (int)BoltResponseStatus.ConnectionClosed, 0x0010 },
        { (int)BoltResponseStatus.ServerSerialException, 0x0011 },
        { (int)BoltResponseStatus.ServerDeserialException, 0x0012 },
    };

    [Fact]
    public void The_enum_has_exactly_the_protocol_statuses()
    {
        Assert.Equal(Statuses.Count, Enum.GetValues<BoltResponseStatus>().Length);
    }

    private static RpcFrameInfo Read(byte[] frame)
    {
        Assert.Equal(RpcReadStatus.Complete, Codec.ReadFrame(new ReadOnlySequence<byte>(frame), out var info).Status);
        return info;
    }

    private static byte[] Write(in RpcFrameInfo request, BoltResponseStatus status)
    {
        var output = new ArrayBufferWriter<byte>();
        var written = BoltErrorResponse.Write(request, status, output);
        Assert.Equal(output.WrittenCount, written);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>V2Request with switch bit 0 set and its CRC32 (bit by bit, BitwiseCrc32) appended.</summary>
    internal static byte[] V2CrcRequest()
    {
        byte[] body = [.. V2Request];
        body[11] = 0x01; // switch: CRC32 appended
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, BitwiseCrc32.Compute(body));
        return [.. body, .. crc];
    }

    [Theory]
    [MemberData(nameof(Statuses))]
    public void V1_response_for_every_status(int status, ushort wire)
    {
        byte[] expected =
        [
            0x01,                         // proto: Bolt v1
            0x00,                         // type: response
            0x00, 0x02,                   // cmdcode: RPC response
            0x01,                         // ver2
            0x00, 0x00, 0x00, 0x07,       // requestId 7, the request's
            0x01,                         // codec: hessian2, the request's
            (byte)(wire >> 8), (byte)wire, // respStatus
            0x00, 0x2E,                   // classLen 46
            0x00, 0x00,                   // headerLen 0
            0x00, 0x00, 0x00, 0x00,       // contentLen 0
            .. ResponseClass,             // com.alipay.sofa.rpc.core.response.SofaResponse
        ];
        Assert.Equal(expected, Write(Read(V1Request), (BoltResponseStatus)status));
    }

    [Theory]
    [MemberData(nameof(Statuses))]
    public void V2_response_for_every_status(int status, ushort wire)
    {
        byte[] expected =
        [
            0x02,                         // proto: Bolt v2
            0x01,                         // ver1, the request's
            0x00,                         // type: response
            0x00, 0x02,                   // cmdcode: RPC response
            0x01,                         // ver2
            0x00, 0x00, 0x00, 0x07,       // requestId 7
            0x01,                         // codec: hessian2
            0x00,                         // switch: no CRC, the request's
            (byte)(wire >> 8), (byte)wire, // respStatus
            0x00, 0x2E,                   // classLen 46
            0x00, 0x00,                   // headerLen 0
            0x00, 0x00, 0x00, 0x00,       // contentLen 0
            .. ResponseClass,
        ];
        Assert.Equal(expected, Write(Read(V2Request), (BoltResponseStatus)status));
    }

    [Theory]
    [MemberData(nameof(Statuses))]
    public void V2_response_with_crc_for_every_status(int status, ushort wire)
    {
        byte[] body =
        [
            0x02,                         // proto: Bolt v2
            0x01,                         // ver1
            0x00,                         // type: response
            0x00, 0x02,                   // cmdcode: RPC response
            0x01,                         // ver2
            0x00, 0x00, 0x00, 0x07,       // requestId 7
            0x01,                         // codec: hessian2
            0x01,                         // switch: CRC32 appended, as the request asked
            (byte)(wire >> 8), (byte)wire, // respStatus
            0x00, 0x2E,                   // classLen 46
            0x00, 0x00,                   // headerLen 0
            0x00, 0x00, 0x00, 0x00,       // contentLen 0
            .. ResponseClass,
        ];
        var crc = BitwiseCrc32.Compute(body);
        byte[] expected = [.. body, (byte)(crc >> 24), (byte)(crc >> 16), (byte)(crc >> 8), (byte)crc];

        var written = Write(Read(V2CrcRequest()), (BoltResponseStatus)status);

        Assert.Equal(expected, written);
        Assert.Equal(RpcReadStatus.Complete, Codec.ReadFrame(new ReadOnlySequence<byte>(written), out _).Status);
    }

    [Theory]
    [InlineData((int)RpcErrorKind.NoRoute, 0x06)]          // NO_PROCESSOR
    [InlineData((int)RpcErrorKind.Timeout, 0x07)]          // TIMEOUT
    [InlineData((int)RpcErrorKind.ConnectionClosed, 0x10)] // CONNECTION_CLOSED
    [InlineData((int)RpcErrorKind.Overloaded, 0x04)]       // SERVER_THREADPOOL_BUSY
    [InlineData((int)RpcErrorKind.CodecError, 0x09)]       // CODEC_EXCEPTION
    public void Error_kinds_map_onto_bolt_statuses(int kind, int wire)
    {
        var output = new ArrayBufferWriter<byte>();
        Codec.WriteErrorResponse(Read(V1Request), (RpcErrorKind)kind, output);

        var response = Read(output.WrittenSpan.ToArray());
        Assert.Equal(RpcFrameKind.Response, response.Kind);
        Assert.Equal(7u, response.RequestId);
        Assert.Equal(wire, response.Status);
    }

    [Fact]
    public void A_protobuf_request_gets_the_response_error_header()
    {
        byte[] request = [.. V1Request];
        request[9] = 11; // codec: protobuf
        var response = Write(Read(request), BoltResponseStatus.NoProcessor);

        byte[] expected =
        [
            0x01, 0x00, 0x00, 0x02, 0x01, // v1, response, RPC response, ver2
            0x00, 0x00, 0x00, 0x07,       // requestId 7
            0x0B,                         // codec: protobuf, the request's
            0x00, 0x06,                   // respStatus NO_PROCESSOR
            0x00, 0x2E,                   // classLen 46
            0x00, 0x24,                   // headerLen 36
            0x00, 0x00, 0x00, 0x00,       // contentLen 0
            .. ResponseClass,
            .. Bytes.HeaderEntry("sofa_head_response_error", "true"),
        ];
        Assert.Equal(expected, response);
    }

    [Fact]
    public void Oneway_requests_and_responses_get_no_response()
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.Equal(0, Codec.WriteErrorResponse(Read(V1Oneway), RpcErrorKind.NoRoute, output));
        Assert.Equal(0, Codec.WriteErrorResponse(Read(V2Response), RpcErrorKind.Timeout, output));
        Assert.Equal(0, Codec.WriteErrorResponse(Read(V1HeartbeatAck), RpcErrorKind.Timeout, output));
        Assert.Equal(0, output.WrittenCount);
    }

    [Fact]
    public void A_failed_heartbeat_gets_a_heartbeat_ack_with_the_status()
    {
        var response = Write(Read(V1Heartbeat), BoltResponseStatus.ServerThreadpoolBusy);
        byte[] expected = [.. V1HeartbeatAck];
        expected[11] = 0x04; // respStatus SERVER_THREADPOOL_BUSY
        Assert.Equal(expected, response);
    }
}
