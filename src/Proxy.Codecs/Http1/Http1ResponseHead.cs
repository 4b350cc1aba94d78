namespace MeshEdge.Codecs.Http1;

/// <summary>The decisions drawn from a complete response head; the fields themselves went to the handler.</summary>
internal readonly struct Http1ResponseHead
{
    public Http1ResponseHead(
        int statusCode,
        Http1Version version,
        Http1BodyFraming framing,
        bool keepAlive,
        bool isTunnel,
        Http1ConnectionOptions connectionOptions)
    {
        StatusCode = statusCode;
        Version = version;
        Framing = framing;
        KeepAlive = keepAlive;
        IsTunnel = isTunnel;
        ConnectionOptions = connectionOptions;
    }

    public int StatusCode { get; }

    public Http1Version Version { get; }

    public Http1BodyFraming Framing { get; }

    public bool KeepAlive { get; }

    /// <summary>101 Switching Protocols, or a 2xx to CONNECT: from here on the connection carries raw bytes.</summary>
    public bool IsTunnel { get; }

    /// <summary>A 1xx other than 101 (100 Continue, 103 Early Hints): the final response is still to come.</summary>
    public bool IsInterim => StatusCode is >= 100 and < 200 && StatusCode != 101;

    public Http1ConnectionOptions ConnectionOptions { get; }
}
