using static MeshEdge.Codecs.Tests.TestSupport.Bytes;

namespace MeshEdge.Codecs.Tests.Bolt;

/// <summary>
/// Hand-written Bolt frames, field by field from PROTOCOLS.md (and sofa-bolt-node's protocol/v1.js and
/// v2.js). Every test that needs "a valid frame" starts from one of these.
/// </summary>
internal static class BoltTestFrames
{
    public const string Service = "com.alipay.test.TestService:1.0";

    public static readonly byte[] RequestClass = [.. "com.alipay.sofa.rpc.core.request.SofaRequest"u8]; // 44 bytes

    public static readonly byte[] ResponseClass = [.. "com.alipay.sofa.rpc.core.response.SofaResponse"u8]; // 46 bytes

    /// <summary>{u32 7, "service", u32 31, "com.alipay.test.TestService:1.0"}: 46 bytes.</summary>
    public static readonly byte[] ServiceHeaderMap = HeaderEntry("service", Service);

    public static readonly byte[] RequestContent = [0xAA, 0xBB, 0xCC];

    public static readonly byte[] ResponseContent = [0x91, 0x92];

    /// <summary>v1 request, id 7: 22 + 44 + 46 + 3 = 115 bytes.</summary>
    public static readonly byte[] V1Request =
    [
        0x01,                   // proto: Bolt v1
        0x01,                   // type: request
        0x00, 0x01,             // cmdcode: RPC request
        0x01,                   // ver2
        0x00, 0x00, 0x00, 0x07, // requestId 7
        0x01,                   // codec: hessian2
        0x00, 0x00, 0x0B, 0xB8, // timeout 3000 ms
        0x00, 0x2C,             // classLen 44
        0x00, 0x2E,             // headerLen 46
        0x00, 0x00, 0x00, 0x03, // contentLen 3
        .. RequestClass,
        .. ServiceHeaderMap,
        .. RequestContent,
    ];

    /// <summary>v1 oneway, id 8: the request with type 2.</summary>
    public static readonly byte[] V1Oneway =
    [
        0x01,                   // proto: Bolt v1
        0x02,                   // type: oneway
        0x00, 0x01,             // cmdcode: RPC request
        0x01,                   // ver2
        0x00, 0x00, 0x00, 0x08, // requestId 8
        0x01,                   // codec: hessian2
        0x00, 0x00, 0x0B, 0xB8, // timeout 3000 ms
        0x00, 0x2C,             // classLen 44
        0x00, 0x2E,             // headerLen 46
        0x00, 0x00, 0x00, 0x03, // contentLen 3
        .. RequestClass,
        .. ServiceHeaderMap,
        .. RequestContent,
    ];

    /// <summary>v1 response, id 7, SUCCESS: 20 + 46 + 0 + 2 = 68 bytes.</summary>
    public static readonly byte[] V1Response =
    [
        0x01,                   // proto: Bolt v1
        0x00,                   // type: response
        0x00, 0x02,             // cmdcode: RPC response
        0x01,                   // ver2
        0x00, 0x00, 0x00, 0x07, // requestId 7
        0x01,                   // codec: hessian2
        0x00, 0x00,             // respStatus: SUCCESS
        0x00, 0x2E,             // classLen 46
        0x00, 0x00,             // headerLen 0
        0x00, 0x00, 0x00, 0x02, // contentLen 2
        .. ResponseClass,
        .. ResponseContent,
    ];

    /// <summary>v1 heartbeat, id 9: 22 bytes, as sofa-bolt-node sends it (timeout 3000, nothing after the header).</summary>
    public static readonly byte[] V1Heartbeat =
    [
        0x01,                   // proto: Bolt v1
        0x01,                   // type: request
        0x00, 0x00,             // cmdcode: heartbeat
        0x01,                   // ver2
        0x00, 0x00, 0x00, 0x09, // requestId 9
        0x01,                   // codec: hessian2
        0x00, 0x00, 0x0B, 0xB8, // timeout 3000 ms
        0x00, 0x00,             // classLen 0
        0x00, 0x00,             // headerLen 0
        0x00, 0x00, 0x00, 0x00, // contentLen 0
    ];

    /// <summary>v1 heartbeat ack, id 9: 20 bytes.</summary>
    public static readonly byte[] V1HeartbeatAck =
    [
        0x01,                   // proto: Bolt v1
        0x00,                   // type: response
        0x00, 0x00,             // cmdcode: heartbeat
        0x01,                   // ver2
        0x00, 0x00, 0x00, 0x09, // requestId 9
        0x01,                   // codec: hessian2
        0x00, 0x00,             // respStatus: SUCCESS
        0x00, 0x00,             // classLen 0
        0x00, 0x00,             // headerLen 0
        0x00, 0x00, 0x00, 0x00, // contentLen 0
    ];

    /// <summary>v2 request, id 7, no CRC: 24 + 44 + 46 + 3 = 117 bytes.</summary>
    public static readonly byte[] V2Request =
    [
        0x02,                   // proto: Bolt v2
        0x01,                   // ver1
        0x01,                   // type: request
        0x00, 0x01,             // cmdcode: RPC request
        0x01,                   // ver2
        0x00, 0x00, 0x00, 0x07, // requestId 7
        0x01,                   // codec: hessian2
        0x00,                   // switch: no CRC
        0x00, 0x00, 0x0B, 0xB8, // timeout 3000 ms
        0x00, 0x2C,             // classLen 44
        0x00, 0x2E,             // headerLen 46
        0x00, 0x00, 0x00, 0x03, // contentLen 3
        .. RequestClass,
        .. ServiceHeaderMap,
        .. RequestContent,
    ];

    /// <summary>v2 oneway, id 8, no CRC.</summary>
    public static readonly byte[] V2Oneway =
    [
        0x02,                   // proto: Bolt v2
        0x01,                   // ver1
        0x02,                   // type: oneway
        0x00, 0x01,             // cmdcode: RPC request
        0x01,                   // ver2
        0x00, 0x00, 0x00, 0x08, // requestId 8
        0x01,                   // codec: hessian2
        0x00,                   // switch: no CRC
        0x00, 0x00, 0x0B, 0xB8, // timeout 3000 ms
        0x00, 0x2C,             // classLen 44
        0x00, 0x2E,             // headerLen 46
        0x00, 0x00, 0x00, 0x03, // contentLen 3
        .. RequestClass,
        .. ServiceHeaderMap,
        .. RequestContent,
    ];

    /// <summary>v2 response, id 7, SUCCESS, no CRC: 22 + 46 + 2 = 70 bytes.</summary>
    public static readonly byte[] V2Response =
    [
        0x02,                   // proto: Bolt v2
        0x01,                   // ver1
        0x00,                   // type: response
        0x00, 0x02,             // cmdcode: RPC response
        0x01,                   // ver2
        0x00, 0x00, 0x00, 0x07, // requestId 7
        0x01,                   // codec: hessian2
        0x00,                   // switch: no CRC
        0x00, 0x00,             // respStatus: SUCCESS
        0x00, 0x2E,             // classLen 46
        0x00, 0x00,             // headerLen 0
        0x00, 0x00, 0x00, 0x02, // contentLen 2
        .. ResponseClass,
        .. ResponseContent,
    ];

    /// <summary>v2 heartbeat, id 9, no CRC: 24 bytes.</summary>
    public static readonly byte[] V2Heartbeat =
    [
        0x02,                   // proto: Bolt v2
        0x01,                   // ver1
        0x01,                   // type: request
        0x00, 0x00,             // cmdcode: heartbeat
        0x01,                   // ver2
        0x00, 0x00, 0x00, 0x09, // requestId 9
        0x01,                   // codec: hessian2
        0x00,                   // switch: no CRC
        0x00, 0x00, 0x0B, 0xB8, // timeout 3000 ms
        0x00, 0x00,             // classLen 0
        0x00, 0x00,             // headerLen 0
        0x00, 0x00, 0x00, 0x00, // contentLen 0
    ];

    /// <summary>v2 heartbeat ack, id 9, no CRC: 22 bytes.</summary>
    public static readonly byte[] V2HeartbeatAck =
    [
        0x02,                   // proto: Bolt v2
        0x01,                   // ver1
        0x00,                   // type: response
        0x00, 0x00,             // cmdcode: heartbeat
        0x01,                   // ver2
        0x00, 0x00, 0x00, 0x09, // requestId 9
        0x01,                   // codec: hessian2
        0x00,                   // switch: no CRC
        0x00, 0x00,             // respStatus: SUCCESS
        0x00, 0x00,             // classLen 0
        0x00, 0x00,             // headerLen 0
        0x00, 0x00, 0x00, 0x00, // contentLen 0
    ];

    /// <summary>
    /// v2 heartbeat with CRC, id 7, ver1 2: 24 + 4 bytes. The CRC32 (0x87629FC5) is the one
    /// sofa-bolt-node 2.0.1 appended to this exact frame (see BoltGoldenFrameTests).
    /// </summary>
    public static readonly byte[] V2CrcHeartbeat =
    [
        0x02,                   // proto: Bolt v2
        0x02,                   // ver1 2
        0x01,                   // type: request
        0x00, 0x00,             // cmdcode: heartbeat
        0x01,                   // ver2
        0x00, 0x00, 0x00, 0x07, // requestId 7
        0x01,                   // codec: hessian2
        0x01,                   // switch: bit 0, CRC32 appended
        0x00, 0x00, 0x0B, 0xB8, // timeout 3000 ms
        0x00, 0x00,             // classLen 0
        0x00, 0x00,             // headerLen 0
        0x00, 0x00, 0x00, 0x00, // contentLen 0
        0x87, 0x62, 0x9F, 0xC5, // CRC32 of the 24 bytes above
    ];

    /// <summary>v2 heartbeat ack with CRC, id 7, ver1 2: 22 + 4 bytes (CRC 0xC24327A9 from sofa-bolt-node).</summary>
    public static readonly byte[] V2CrcHeartbeatAck =
    [
        0x02,                   // proto: Bolt v2
        0x02,                   // ver1 2
        0x00,                   // type: response
        0x00, 0x00,             // cmdcode: heartbeat
        0x01,                   // ver2
        0x00, 0x00, 0x00, 0x07, // requestId 7
        0x01,                   // codec: hessian2
        0x01,                   // switch: bit 0, CRC32 appended
        0x00, 0x00,             // respStatus: SUCCESS
        0x00, 0x00,             // classLen 0
        0x00, 0x00,             // headerLen 0
        0x00, 0x00, 0x00, 0x00, // contentLen 0
        0xC2, 0x43, 0x27, 0xA9, // CRC32 of the 22 bytes above
    ];
}
