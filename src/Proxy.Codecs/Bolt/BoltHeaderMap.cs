using System.Buffers;
using System.Buffers.Binary;
using MeshEdge.Codecs.Rpc;

namespace MeshEdge.Codecs.Bolt;

/// <summary>Lookups, enumeration, validation and writing of Bolt header maps, all without allocating.</summary>
internal static class BoltHeaderMap
{
    public static bool TryGet(ReadOnlySpan<byte> headerMap, ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        var reader = new BoltHeaderMapReader(headerMap);
        while (reader.TryReadNext(out var key, out value))
        {
            // The length test first: most keys differ in length, and that saves the call.
            if (key.Length == name.Length && key.SequenceEqual(name))
            {
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>
    /// The names a request is routed on, in one pass over the map that also checks its structure (the
    /// frame reader leaves a request's map to this walk): the service (the first <c>service</c>
    /// header, else the first <c>sofa_head_target_service</c>) and the method (the first
    /// <c>sofa_head_method_name</c>; empty when absent). The three keys differ in length, so most
    /// entries cost one comparison.
    /// </summary>
    public static RpcRouteNames ReadRouteNames(ReadOnlySpan<byte> headerMap, out ReadOnlySpan<byte> service, out ReadOnlySpan<byte> method)
    {
        service = default;
        method = default;
        ReadOnlySpan<byte> target = default;
        bool hasService = false, hasTarget = false, hasMethod = false;
        var reader = new BoltHeaderMapReader(headerMap);
        while (reader.TryReadNext(out var key, out var value))
        {
            if (key.Length == BoltConstants.ServiceHeader.Length)
            {
                if (!hasService && key.SequenceEqual(BoltConstants.ServiceHeader))
                {
                    service = value;
                    hasService = true;
                }
            }
            else if (key.Length == BoltConstants.MethodNameHeader.Length)
            {
                if (!hasMethod && key.SequenceEqual(BoltConstants.MethodNameHeader))
                {
                    method = value;
                    hasMethod = true;
                }
            }
            else if (key.Length == BoltConstants.TargetServiceHeader.Length && !hasTarget && key.SequenceEqual(BoltConstants.TargetServiceHeader))
            {
                target = value;
                hasTarget = true;
            }
        }

        if (reader.IsMalformed)
        {
            service = method = default;
            return RpcRouteNames.Malformed;
        }

        if (!hasService && hasTarget)
        {
            service = target;
            hasService = true;
        }

        return hasService ? RpcRouteNames.Found : RpcRouteNames.NoService;
    }

    public static bool Visit<TVisitor>(ReadOnlySpan<byte> headerMap, ref TVisitor visitor)
        where TVisitor : IRpcHeaderVisitor, allows ref struct
    {
        var reader = new BoltHeaderMapReader(headerMap);
        while (reader.TryReadNext(out var key, out var value))
        {
            if (!visitor.OnHeader(key, value))
            {
                return true;
            }
        }

        return !reader.IsMalformed;
    }

    public static bool IsWellFormed(ReadOnlySpan<byte> headerMap)
    {
        var reader = new BoltHeaderMapReader(headerMap);
        while (reader.TryReadNext(out _, out _))
        {
        }

        return !reader.IsMalformed;
    }

    /// <summary>The same check over a map split across segments, without copying it.</summary>
    public static bool IsWellFormed(in ReadOnlySequence<byte> headerMap)
    {
        if (headerMap.IsSingleSegment)
        {
            return IsWellFormed(headerMap.FirstSpan);
        }

        var reader = new SequenceReader<byte>(headerMap);
        while (!reader.End)
        {
            for (var part = 0; part < 2; part++)
            {
                if (!reader.TryReadBigEndian(out int length))
                {
                    return false;
                }

                if (length > 0)
                {
                    if (reader.Remaining < length)
                    {
                        return false;
                    }

                    reader.Advance(length);
                }
            }
        }

        return true;
    }

    /// <summary>The bytes one entry takes on the wire.</summary>
    public static int EntryLength(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) => 8 + key.Length + value.Length;

    /// <summary>Writes one entry into <paramref name="destination"/>; returns the bytes written.</summary>
    public static int WriteEntry(Span<byte> destination, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        BinaryPrimitives.WriteInt32BigEndian(destination, key.Length);
        key.CopyTo(destination[4..]);
        var valueAt = 4 + key.Length;
        BinaryPrimitives.WriteInt32BigEndian(destination[valueAt..], value.Length);
        value.CopyTo(destination[(valueAt + 4)..]);
        return valueAt + 4 + value.Length;
    }
}
