namespace MeshEdge.Native.Http;

internal static class ResponseFlagCodes
{
    public static ReadOnlySpan<byte> Of(ResponseFlags flags) => flags switch
    {
        ResponseFlags.NoRoute => "NR"u8,
        ResponseFlags.UpstreamConnectFailure => "UF"u8,
        ResponseFlags.UpstreamReset => "UC"u8,
        ResponseFlags.UpstreamTimeout => "UT"u8,
        ResponseFlags.UpstreamOverflow => "UO"u8,
        ResponseFlags.NoHealthyUpstream => "UH"u8,
        ResponseFlags.DownstreamClosed => "DC"u8,
        ResponseFlags.Overloaded => "OM"u8,
        _ => default,
    };
}
