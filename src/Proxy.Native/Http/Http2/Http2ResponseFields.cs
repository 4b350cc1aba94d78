using System.Buffers;
using System.Buffers.Text;
using MeshEdge.Codecs.Http1;
using MeshEdge.Codecs.Http2.Connection;

namespace MeshEdge.Native.Http.Http2;

/// <summary>
/// A response head (or trailers) as an HTTP/2 field list: :status first, names lowercased (an
/// HTTP/1 upstream may send any case; RFC 9113 §8.2.1 allows none in h2), and the
/// connection-specific fields an HTTP/1 message may carry left out (§8.2.2).
/// </summary>
internal static class Http2ResponseFields
{
    private const int StackNameBytes = 256;

    public static void AddStatus(Http2Connection frames, int status)
    {
        Span<byte> digits = stackalloc byte[3];
        Utf8Formatter.TryFormat(status, digits, out var written);
        frames.AddHeader(":status"u8, digits[..written]);
    }

    public static void AddFields(Http2Connection frames, HeaderBlock fields)
    {
        for (var i = 0; i < fields.FieldCount; i++)
        {
            ref readonly var field = ref fields.Field(i);
            if (field.Dropped || Http1KnownHeaders.IsHopByHop(field.Known))
            {
                continue;
            }

            AddLowercase(frames, fields.Name(i), fields.Value(i));
        }
    }

    /// <summary>The proxy's own reply: status, its fields, content-length for the body the stream sends next.</summary>
    public static void AddLocalReply(Http2Connection frames, in LocalReply reply, RequestHead head, bool secure)
    {
        AddStatus(frames, reply.Status);
        if (reply.Kind == LocalReplyKind.Redirect)
        {
            Span<byte> location = stackalloc byte[LocalResponses.MaxLocationBytes];
            var length = LocalResponses.FormatLocation(location, reply.Redirect!, head, secure);
            frames.AddHeader("location"u8, location[..length]);
            frames.AddHeader("content-length"u8, "0"u8);
            return;
        }

        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(reply.Body.Length, digits, out var written);
        frames.AddHeader("content-type"u8, "text/plain"u8);
        frames.AddHeader("content-length"u8, digits[..written]);
        if (reply.Kind == LocalReplyKind.Overloaded)
        {
            frames.AddHeader("x-envoy-overloaded"u8, "true"u8);
        }
    }

    private static void AddLowercase(Http2Connection frames, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        byte[]? rented = null;
        var lower = name.Length <= StackNameBytes
            ? stackalloc byte[StackNameBytes]
            : rented = ArrayPool<byte>.Shared.Rent(name.Length);
        System.Text.Ascii.ToLower(name, lower, out var written);
        frames.AddHeader(lower[..written], value);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
