using System.Buffers;
using System.Text;
using MeshEdge.Codecs.Http1;
using MeshEdge.Config.Model;

namespace MeshEdge.Native.Http;

/// <summary>Replies the router makes itself beyond the plain local reply: redirects, and the overloaded 503.</summary>
internal static class LocalResponses
{
    /// <summary>A 3xx with a Location built from the request and the redirect's replacements (the scheme kept as the client used it unless replaced).</summary>
    public static void WriteRedirect(IBufferWriter<byte> output, RedirectConfig redirect, RequestHead head, bool close, bool secure)
    {
        Span<byte> location = stackalloc byte[MaxLocationBytes];
        var length = FormatLocation(location, redirect, head, secure);
        Http1Writer.WriteStatusLine(output, Http1Version.Http11, redirect.Status);
        Http1Writer.WriteHeader(output, "location"u8, location[..length]);
        Http1Writer.WriteHeader(output, "content-length"u8, 0);
        if (close)
        {
            Http1Writer.WriteHeader(output, "connection"u8, "close"u8);
        }

        Http1Writer.WriteEndOfHeaders(output);
    }

    /// <summary>The longest Location a redirect writes; longer ones are cut.</summary>
    public const int MaxLocationBytes = 2048;

    /// <summary>A redirect's Location into <paramref name="location"/>, whatever version carries it; returns its length.</summary>
    public static int FormatLocation(Span<byte> location, RedirectConfig redirect, RequestHead head, bool secure)
    {
        var length = 0;
        length += Append(location[length..], redirect.Scheme is { } scheme ? Encoding.ASCII.GetBytes(scheme) : secure ? "https"u8 : "http"u8);
        length += Append(location[length..], "://"u8);
        length += Append(location[length..], redirect.Host is { } host ? Encoding.ASCII.GetBytes(host) : head.Authority);
        length += Append(location[length..], redirect.Path is { } path ? Encoding.UTF8.GetBytes(path) : head.Target);
        return length;
    }

    /// <summary>The 503 of a full circuit breaker, marked the way Envoy marks it so that clients can tell it from an upstream's own 503.</summary>
    public static void WriteOverloaded(IBufferWriter<byte> output, ReadOnlySpan<byte> body, bool close, bool omitBody)
    {
        Http1Writer.WriteStatusLine(output, Http1Version.Http11, 503);
        Http1Writer.WriteHeader(output, "content-type"u8, "text/plain"u8);
        Http1Writer.WriteHeader(output, "content-length"u8, body.Length);
        Http1Writer.WriteHeader(output, "x-envoy-overloaded"u8, "true"u8);
        if (close)
        {
            Http1Writer.WriteHeader(output, "connection"u8, "close"u8);
        }

        Http1Writer.WriteEndOfHeaders(output);
        if (!omitBody)
        {
            Http1Writer.Write(output, body);
        }
    }

    private static int Append(Span<byte> destination, ReadOnlySpan<byte> bytes)
    {
        var take = Math.Min(bytes.Length, destination.Length);
        bytes[..take].CopyTo(destination);
        return take;
    }
}
