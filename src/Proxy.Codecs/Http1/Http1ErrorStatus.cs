namespace MeshEdge.Codecs.Http1;

/// <summary>The status a server sends for a request it rejects; a bad response from upstream is always 502.</summary>
internal static class Http1ErrorStatus
{
    public const int BadGateway = 502;

    public static int ForRequest(Http1Error error) => error switch
    {
        Http1Error.None => 0,
        Http1Error.UriTooLong => 414,
        Http1Error.HeaderSectionTooLarge or Http1Error.TooManyHeaders => 431,
        Http1Error.UnknownTransferCoding => 501,
        Http1Error.UnsupportedVersion => 505,
        _ => 400,
    };
}
