namespace MeshEdge.Codecs.Http1;

/// <summary>The decisions drawn from a complete request head; the fields themselves went to the handler.</summary>
internal readonly struct Http1RequestHead
{
    public Http1RequestHead(
        Http1Method method,
        Http1Version version,
        Http1BodyFraming framing,
        bool keepAlive,
        bool expectContinue,
        bool isUpgrade,
        Http1ConnectionOptions connectionOptions)
    {
        Method = method;
        Version = version;
        Framing = framing;
        KeepAlive = keepAlive;
        ExpectContinue = expectContinue;
        IsUpgrade = isUpgrade;
        ConnectionOptions = connectionOptions;
    }

    public Http1Method Method { get; }

    public Http1Version Version { get; }

    public Http1BodyFraming Framing { get; }

    /// <summary>Whether the connection may carry another request after this one.</summary>
    public bool KeepAlive { get; }

    /// <summary>HTTP/1.1 "Expect: 100-continue": the client waits for a 100 before sending the body.</summary>
    public bool ExpectContinue { get; }

    /// <summary>An HTTP/1.1 request for a protocol switch (e.g. websocket); a 101 turns the connection into a tunnel.</summary>
    public bool IsUpgrade { get; }

    public Http1ConnectionOptions ConnectionOptions { get; }
}
