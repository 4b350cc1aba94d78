using System.Buffers;
using MeshEdge.Codecs.Http1;
using MeshEdge.Native.Http.Routing;

namespace MeshEdge.Native.Http;

/// <summary>
/// Writes the request head sent upstream: the client's head with the route's rewrites, without the
/// fields the downstream codec marked hop-by-hop, with x-forwarded-for, x-forwarded-proto and
/// x-request-id as configured. <see cref="Write"/> frames it as HTTP/1.1 (a declared Content-Length
/// passes through; a body of unknown length goes chunked); HTTP/2 takes <see cref="Target"/>,
/// <see cref="Authority"/> and <see cref="WriteFields"/> into its own field list.
/// </summary>
internal static class RequestHeadWriter
{
    public static void Write(IBufferWriter<byte> output, RequestHead head, CompiledRoute route, in ForwardingInfo info, bool chunked)
    {
        WriteRequestLine(output, head, route);
        var host = Authority(head, route);
        if (!host.IsEmpty)
        {
            Http1Writer.WriteHeader(output, "host"u8, host);
        }

        // A body sent chunked is framed by its chunks: a declared length would contradict them.
        var sink = new Http1RequestFieldSink(output);
        WriteFields(ref sink, head, route, info, chunked ? head.ContentLengthField : -1);
        if (chunked)
        {
            Http1Writer.WriteHeader(output, "transfer-encoding"u8, "chunked"u8);
        }

        if (head.IsUpgrade)
        {
            Http1Writer.WriteHeader(output, "connection"u8, "upgrade"u8);
        }
        else if (head.Version == Http1Version.Http10)
        {
            // The upstream request keeps the client's version (so the reply cannot be chunked) but
            // asks to keep the upstream connection for reuse.
            Http1Writer.WriteHeader(output, "connection"u8, "keep-alive"u8);
        }

        Http1Writer.WriteEndOfHeaders(output);
    }

    /// <summary>The authority the upstream sees: the route's host_rewrite, else the client's.</summary>
    public static ReadOnlySpan<byte> Authority(RequestHead head, CompiledRoute route) => route.HostRewrite ?? head.Authority;

    /// <summary>
    /// The end-to-end fields, whatever version carries them: the client's (less Host, the ones its
    /// codec dropped as hop-by-hop, and the ones the route or the forwarding rules replace), then
    /// x-forwarded-for and -proto, x-forwarded-client-cert, x-request-id and the route's additions.
    /// <paramref name="reframedField"/> is a field this hop leaves out because it frames the body
    /// its own way (the content-length of a body sent chunked), or -1.
    /// </summary>
    public static void WriteFields<TSink>(ref TSink sink, RequestHead head, CompiledRoute route, in ForwardingInfo info, int reframedField = -1)
        where TSink : struct, IRequestFieldSink
    {
        for (var i = 0; i < head.FieldCount; i++)
        {
            ref readonly var field = ref head.Field(i);
            var known = field.Known;
            var name = head.Name(i);
            if (field.Dropped
                || i == reframedField
                || known == Http1KnownHeader.Host
                || (info.AddForwarded && known is Http1KnownHeader.XForwardedFor or Http1KnownHeader.XForwardedProto)
                || route.RequestHeaders.Removes(name)
                || ClientCertHeader.Skips(name, info.ClientCertMode, info.Peer))
            {
                continue;
            }

            sink.Add(name, head.Value(i));
        }

        if (info.AddForwarded)
        {
            WriteForwardedFor(ref sink, head, info.ClientAddress);
            sink.Add("x-forwarded-proto"u8, info.Secure ? "https"u8 : "http"u8);
        }

        ClientCertHeader.Write(ref sink, head, info.ClientCertMode, info.Peer);
        if (head.RequestIdField < 0 && !info.RequestId.IsEmpty)
        {
            sink.Add("x-request-id"u8, info.RequestId);
        }

        foreach (var (name, value) in route.RequestHeaders.Add)
        {
            sink.Add(name, value);
        }
    }

    /// <summary>
    /// The request target the upstream sees: the client's, or with the route's prefix_rewrite in
    /// place of the matched prefix (regex and exact: the whole path; the rest and the query stay),
    /// written into <paramref name="buffer"/> of at least <see cref="RewrittenTargetLength"/> bytes.
    /// </summary>
    public static ReadOnlySpan<byte> Target(RequestHead head, CompiledRoute route, Span<byte> buffer)
    {
        if (route.PrefixRewrite is not { } rewrite)
        {
            return head.Target;
        }

        var rest = head.Target[MatchedLength(head, route)..];
        rewrite.CopyTo(buffer);
        rest.CopyTo(buffer[rewrite.Length..]);
        return buffer[..(rewrite.Length + rest.Length)];
    }

    /// <summary>The bytes <see cref="Target"/> needs for its buffer (0 without a rewrite).</summary>
    public static int RewrittenTargetLength(RequestHead head, CompiledRoute route) =>
        route.PrefixRewrite is { } rewrite ? rewrite.Length + head.Target.Length - MatchedLength(head, route) : 0;

    private static int MatchedLength(RequestHead head, CompiledRoute route)
    {
        var path = head.Path;
        return route.MatchedPathLength < 0 ? path.Length : Math.Min(route.MatchedPathLength, path.Length);
    }

    private static void WriteRequestLine(IBufferWriter<byte> output, RequestHead head, CompiledRoute route)
    {
        var version = head.Version == Http1Version.Http10 ? Http1Version.Http10 : Http1Version.Http11;
        var length = RewrittenTargetLength(head, route);
        var buffer = length <= 1024 ? stackalloc byte[length] : new byte[length];
        Http1Writer.WriteRequestLine(output, head.MethodToken, Target(head, route, buffer), version);
    }

    private static void WriteForwardedFor<TSink>(ref TSink sink, RequestHead head, ReadOnlySpan<byte> client)
        where TSink : struct, IRequestFieldSink
    {
        if (head.ForwardedForField < 0)
        {
            sink.Add("x-forwarded-for"u8, client);
            return;
        }

        var existing = head.Value(head.ForwardedForField);
        var length = existing.Length + 2 + client.Length;
        var buffer = length <= 1024 ? stackalloc byte[length] : new byte[length];
        existing.CopyTo(buffer);
        ", "u8.CopyTo(buffer[existing.Length..]);
        client.CopyTo(buffer[(existing.Length + 2)..]);
        sink.Add("x-forwarded-for"u8, buffer);
    }
}
