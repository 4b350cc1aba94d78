namespace MeshEdge.Codecs.Http1;

/// <summary>
/// Bounds on what a parser buffers before it gives up, so a peer can never make the proxy hold an
/// unbounded head. Passed in by the session (from config); the codec never looks config up itself.
/// </summary>
internal readonly struct Http1ParserLimits
{
    public Http1ParserLimits(int maxStartLineBytes, int maxHeaderBytes, int maxHeaderCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxStartLineBytes, 16);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxHeaderBytes, 2);
        ArgumentOutOfRangeException.ThrowIfNegative(maxHeaderCount);
        MaxStartLineBytes = maxStartLineBytes;
        MaxHeaderBytes = maxHeaderBytes;
        MaxHeaderCount = maxHeaderCount;
    }

    /// <summary>nginx's and Kestrel's defaults are of this order: 8 KiB line, 32 KiB head, 100 fields.</summary>
    public static Http1ParserLimits Default => new(8 * 1024, 32 * 1024, 100);

    /// <summary>The request line or status line, CRLF included. Beyond it: 414 (or 400, see <see cref="Http1Error"/>).</summary>
    public int MaxStartLineBytes { get; }

    /// <summary>All field lines plus the empty line that ends the section (also bounds trailers). Beyond it: 431.</summary>
    public int MaxHeaderBytes { get; }

    /// <summary>Field lines in one header (or trailer) section. Beyond it: 431.</summary>
    public int MaxHeaderCount { get; }
}
