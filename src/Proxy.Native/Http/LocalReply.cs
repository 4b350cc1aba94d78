using MeshEdge.Config.Model;

namespace MeshEdge.Native.Http;

/// <summary>A reply the exchange makes itself, as facts; the downstream codec turns it into its version's bytes.</summary>
internal readonly ref struct LocalReply
{
    public LocalReply(LocalReplyKind kind, int status, ReadOnlySpan<byte> body, bool closeConnection = false, RedirectConfig? redirect = null)
    {
        Kind = kind;
        Status = status;
        Body = body;
        CloseConnection = closeConnection;
        Redirect = redirect;
    }

    public LocalReplyKind Kind { get; }

    public int Status { get; }

    public ReadOnlySpan<byte> Body { get; }

    /// <summary>The request was bad: an HTTP/1 connection cannot be trusted for another (h2 resets only the stream).</summary>
    public bool CloseConnection { get; }

    public RedirectConfig? Redirect { get; }
}
