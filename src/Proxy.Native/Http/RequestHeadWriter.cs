using System.Buffers;
using MeshEdge.Codecs.Http1;
using MeshEdge.Native.Http.Routing;

namespace MeshEdge.Native.Http;

/// <summary>
/// Writes the HTTP/1.1 request head sent upstream: the client's head with the route's rewrites,
/// without the fields the downstream codec marked hop-by-hop, with x-forwarded-for,
/// x-forwarded-proto and x-request-id as configured. A declared Content-Length passes through; a
/// body of unknown length goes chunked.
/// </summary>
internal static class RequestHeadWriter
{
    public static void Write(IBufferWriter<byte> output, RequestHead head, CompiledRoute route, in ForwardingInfo info, bool chunked)
    {
        WriteRequestLine(output, head, route);
        var host = route.HostRewrite ?? head.Authority;
        if (!host.IsEmpty)
        {
            Http1Writer.WriteHeader(output, "host"u8, host);
        }

        for (var i = 0; i < head.FieldCount; i++)
        {
            ref readonly var field = ref head.Field(i);
            var known = field.Known;
            var name = head.Name(i);
            if (field.Dropped
                || known == Http1KnownHeader.Host
                || (info.AddForwarded && known is Http1KnownHeader.XForwardedFor or Http1KnownHeader.XForwardedProto)
                || route.RequestHeaders.Removes(name)
                || ClientCertHeader.Skips(name, info.ClientCertMode, info.Peer))
            {
                continue;
            }

            Http1Writer.WriteHeader(output, name, head.Value(i));
        }

        if (info.AddForwarded)
        {
            WriteForwardedFor(output, head, info.ClientAddress);
            Http1Writer.WriteHeader(output, "x-forwarded-proto"u8, info.Secure ? "https"u8 : "http"u8);
        }

        ClientCertHeader.Write(output, head, info.ClientCertMode, info.Peer);
        if (head.RequestIdField < 0 && !info.RequestId.IsEmpty)
        {
            Http1Writer.WriteHeader(output, "x-request-id"u8, info.RequestId);
        }

        foreach (var (name, value) in route.RequestHeaders.Add)
        {
            Http1Writer.WriteHeader(output, name, value);
        }

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

    private static void WriteRequestLine(IBufferWriter<byte> output, RequestHead head, CompiledRoute route)
    {
        var version = head.Version == Http1Version.Http10 ? Http1Version.Http10 : Http1Version.Http11;
        if (route.PrefixRewrite is not { } rewrite)
        {
            Http1Writer.WriteRequestLine(output, head.MethodToken, head.Target, version);
            return;
        }

        // Replace the matched prefix (regex and exact: the whole path); the rest and the query stay.
        var target = head.Target;
        var path = head.Path;
        var matched = route.MatchedPathLength < 0 ? path.Length : Math.Min(route.MatchedPathLength, path.Length);
        var rest = target[matched..];
        var length = rewrite.Length + rest.Length;
        var buffer = length <= 1024 ? stackalloc byte[length] : new byte[length];
        rewrite.CopyTo(buffer);
        rest.CopyTo(buffer[rewrite.Length..]);
        Http1Writer.WriteRequestLine(output, head.MethodToken, buffer, version);
    }

    private static void WriteForwardedFor(IBufferWriter<byte> output, RequestHead head, ReadOnlySpan<byte> client)
    {
        if (head.ForwardedForField < 0)
        {
            Http1Writer.WriteHeader(output, "x-forwarded-for"u8, client);
            return;
        }

        var existing = head.Value(head.ForwardedForField);
        var length = existing.Length + 2 + client.Length;
        var buffer = length <= 1024 ? stackalloc byte[length] : new byte[length];
        existing.CopyTo(buffer);
        ", "u8.CopyTo(buffer[existing.Length..]);
        client.CopyTo(buffer[(existing.Length + 2)..]);
        Http1Writer.WriteHeader(output, "x-forwarded-for"u8, buffer);
    }
}
