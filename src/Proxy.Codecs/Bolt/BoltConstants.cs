namespace MeshEdge.Codecs.Bolt;

/// <summary>Bolt's fixed numbers and the names SOFARPC puts on the wire.</summary>
internal static class BoltConstants
{
    public const int V1RequestHeaderLength = 22;
    public const int V1ResponseHeaderLength = 20;
    public const int V2RequestHeaderLength = 24;
    public const int V2ResponseHeaderLength = 22;
    public const int MaxFixedHeaderLength = V2RequestHeaderLength;
    public const int CrcLength = 4;

    /// <summary>Switch code bit 0: a CRC32 of the frame follows it.</summary>
    public const byte CrcSwitchBit = 0x01;

    /// <summary>16 MiB: far above any sane RPC, low enough that a garbage length cannot make a session buffer without bound.</summary>
    public const int DefaultMaxFrameSize = 16 * 1024 * 1024;

    /// <summary>The ver2 byte every known peer sends.</summary>
    public const byte CommandVersion = 0x01;

    /// <summary>v2's ver1 the proxy uses for frames it originates (SOFA's RpcProtocolV2.PROTOCOL_VERSION_1).</summary>
    public const byte DefaultV2ProtocolVersion = 0x01;

    /// <summary>Bolt codec byte for hessian2, the serialization of frames the proxy originates.</summary>
    public const byte Hessian2Codec = 1;

    public const byte ProtobufCodec = 11;

    /// <summary>SOFA clients' default heartbeat timeout, in milliseconds.</summary>
    public const int HeartbeatTimeoutMilliseconds = 3000;

    public static ReadOnlySpan<byte> ServiceHeader => "service"u8;

    public static ReadOnlySpan<byte> TargetServiceHeader => "sofa_head_target_service"u8;

    public static ReadOnlySpan<byte> MethodNameHeader => "sofa_head_method_name"u8;

    public static ReadOnlySpan<byte> ResponseClass => "com.alipay.sofa.rpc.core.response.SofaResponse"u8;

    /// <summary>
    /// The header map a protobuf-codec SOFA server puts on an error response:
    /// {u32 24, "sofa_head_response_error", u32 4, "true"}.
    /// </summary>
    public static ReadOnlySpan<byte> ProtobufErrorHeaderMap =>
        "\u0000\u0000\u0000\u0018sofa_head_response_error\u0000\u0000\u0000\u0004true"u8;
}
