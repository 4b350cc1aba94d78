using System.Buffers;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using MeshEdge.Codecs.Rpc;
using MeshEdge.Config.AccessLog;
using MeshEdge.Native.AccessLogs;
using MeshEdge.Native.Http;

namespace MeshEdge.Native.Rpc;

/// <summary>
/// Routing and what is recorded about a request: its (service, method) pair is looked up while the
/// header block is at hand, and when the request ends its status and duration go to that pair's
/// counters and, if the listener has one, a line to the access log.
/// </summary>
internal sealed partial class RpcDownstreamSession<TCodec>
{
    /// <summary>Durations are counted from <see cref="Runtime.Worker.NowTimestamp"/> ticks in whole microseconds, with no TimeSpan per request.</summary>
    private static readonly double MicrosecondsPerTick = 1e6 / Stopwatch.Frequency;

    /// <summary>What <see cref="Route(RpcRequest{TCodec}, out int)"/> returns for a header block whose entries overrun it.</summary>
    private const int MalformedHeaders = int.MinValue;

    /// <summary>
    /// Routes <paramref name="request"/>, whose frame starts the client's input, on its headers, and
    /// notes its method (and what its log line will need): the cluster index, -1 for none, or
    /// <see cref="MalformedHeaders"/> (the frame reader leaves a request's header block to this step,
    /// whose one walk checks it while it reads the names). The header block and the first content
    /// bytes are read in place when the frame lies in one block, else copied into scratch space.
    /// </summary>
    /// <remarks>
    /// The route cache's hit is taken here, inlined into the request's step: the frame lies in the
    /// head block, its header block is the remembered one (compared in place, 16 bytes at a time),
    /// and the payload names the same method or, as before, none. Anything else is the full route,
    /// out of line. As two calls around a general byte compare the hit cost some 215 instructions.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Route(RpcRequest<TCodec> request, Span<byte> bytes, out int routeTimeoutMs)
    {
        var cache = _context.RouteCache;
        if (cache.Pair is { } cached && _context.AccessLog is null)
        {
            if (!bytes.IsEmpty
                && ReferenceEquals(cached.RouteTable, _context.Routes)
                && cache.MatchesHeaders(bytes, request.Info.HeaderOffset, request.Info.HeaderLength)
                && (cache.MethodInHeaders || CachedContentMatches(cache, request, bytes)))
            {
                Count(request, cached);
                routeTimeoutMs = cached.RouteTimeoutMs;
                return cached.RouteCluster;
            }
        }

        return RouteUncached(request, out routeTimeoutMs);
    }

    /// <summary>Whether the payload agrees with the remembered one: the same bytes through the method it named, or, when it named none, this one names none either.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool CachedContentMatches(RpcRouteCache cache, RpcRequest<TCodec> request, Span<byte> frame)
    {
        var content = frame.Slice(request.Info.ContentOffset, Math.Min(request.Info.ContentLength, RpcWorkerContext<TCodec>.ContentScratchSize));
        return cache.HasContentMethod ? cache.MatchesContentPrefix(request.Info.Serialization, content) : ContentMethod(request, content).IsEmpty;
    }

    /// <summary>The route cache did not answer: the request is routed in full (or from the cache once its bytes are contiguous).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private int RouteUncached(RpcRequest<TCodec> request, out int routeTimeoutMs)
    {
        var bytes = RpcChainFrames.HeadSlice(_downstream.Input, _frameOffset, request.Info.Length);
        if (bytes.IsEmpty)
        {
            return RouteSplit(request, out routeTimeoutMs);
        }

        var headers = bytes.Slice(request.Info.HeaderOffset, request.Info.HeaderLength);
        var content = bytes.Slice(request.Info.ContentOffset, Math.Min(request.Info.ContentLength, RpcWorkerContext<TCodec>.ContentScratchSize));
        return Route(request, headers, content, out routeTimeoutMs);
    }

    /// <summary>A frame split across blocks: its header block and content prefix are copied into scratch space first (rare, so out of line).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private int RouteSplit(RpcRequest<TCodec> request, out int routeTimeoutMs)
    {
        var frame = request.Info;
        byte[]? rented = null;
        var scratch = _context.HeaderScratch;
        if (frame.HeaderLength > scratch.Length)
        {
            scratch = rented = ArrayPool<byte>.Shared.Rent(frame.HeaderLength);
        }

        try
        {
            var sequence = _downstream.Input.AsSequence();
            RpcFrameBytes.TryGetContiguous(sequence, frame.HeaderOffset, frame.HeaderLength, scratch, out var headers);
            var prefix = _context.ContentScratch;
            var length = Math.Min(frame.ContentLength, prefix.Length);
            RpcFrameBytes.TryGetContiguous(sequence, frame.ContentOffset, length, prefix, out var content);
            return Route(request, headers, content, out routeTimeoutMs);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private int Route(RpcRequest<TCodec> request, ReadOnlySpan<byte> headers, ReadOnlySpan<byte> contentPrefix, out int routeTimeoutMs)
    {
        var cache = _context.RouteCache;
        if (_context.AccessLog is null && cache.Matches(headers))
        {
            // The header bytes of the last request routed in full: as sound as they were then, and the
            // same service and method (when the headers name none, the payload's bytes through the
            // method it named are compared, or a payload is seen to name none again), so the same
            // pair and route.
            var cached = cache.Pair!;
            if (ReferenceEquals(cached.RouteTable, _context.Routes)
                && (cache.MethodInHeaders || (cache.HasContentMethod ? cache.MatchesContentPrefix(request.Info.Serialization, contentPrefix) : ContentMethod(request, contentPrefix).IsEmpty)))
            {
                Count(request, cached);
                routeTimeoutMs = cached.RouteTimeoutMs;
                return cached.RouteCluster;
            }
        }

        return RouteInFull(request, headers, contentPrefix, out routeTimeoutMs);
    }

    /// <summary>
    /// The header block walked for the names (which checks it), the pair found, the routes matched:
    /// out of line, so that a request the route cache answers pays for none of its stack.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private int RouteInFull(RpcRequest<TCodec> request, ReadOnlySpan<byte> headers, ReadOnlySpan<byte> contentPrefix, out int routeTimeoutMs)
    {
        var routes = _context.Routes;
        var cache = _context.RouteCache;
        var codec = _context.Codec;
        var names = codec.ReadRouteNames(headers, out var service, out var method);
        if (names == RpcRouteNames.Malformed)
        {
            routeTimeoutMs = 0;
            return MalformedHeaders;
        }

        var hasService = names == RpcRouteNames.Found;
        var methodInHeaders = !method.IsEmpty;
        if (!methodInHeaders)
        {
            // Hessian2 requests name their method only in the payload.
            method = ContentMethod(request, contentPrefix);
        }

        Observe(request, headers, service, method);
        var pair = request.Method!;
        if (!ReferenceEquals(pair.RouteTable, routes))
        {
            var cluster = routes.Match(codec, headers, hasService, service, method, out var timeoutMs);
            // Only a pair of its own, named by a present service, stands for one route: the overflow
            // entry is shared by many pairs, and an absent service reads as an empty one.
            if (!routes.MatchesOnNamesOnly || !hasService || service.IsEmpty || ReferenceEquals(pair, _context.Methods.Overflow))
            {
                routeTimeoutMs = timeoutMs;
                return cluster;
            }

            pair.RouteCluster = cluster;
            pair.RouteTimeoutMs = timeoutMs;
            pair.RouteTable = routes;
        }

        if (_context.AccessLog is null)
        {
            cache.Remember(headers, methodInHeaders, methodInHeaders ? default : ThroughMethod(contentPrefix, method), request.Info.Serialization, pair);
        }

        routeTimeoutMs = pair.RouteTimeoutMs;
        return pair.RouteCluster;
    }

    /// <summary>The method a hessian2 payload names at its start, or empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<byte> ContentMethod(RpcRequest<TCodec> request, ReadOnlySpan<byte> contentPrefix) =>
        !contentPrefix.IsEmpty && _context.Codec.TryGetMethodNameFromContent(request.Info, contentPrefix, out var method) ? method : default;

    /// <summary>The start of <paramref name="contentPrefix"/> through the end of <paramref name="method"/>, a slice of it; empty when the method is.</summary>
    private static ReadOnlySpan<byte> ThroughMethod(ReadOnlySpan<byte> contentPrefix, ReadOnlySpan<byte> method) =>
        !method.IsEmpty && contentPrefix.Overlaps(method, out var offset) ? contentPrefix[..(offset + method.Length)] : default;

    /// <summary>The request is one of <paramref name="pair"/>'s: counted, and timed from now.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Count(RpcRequest<TCodec> request, RpcMethodStats pair)
    {
        if (!ReferenceEquals(request.Method, pair))
        {
            request.Method = pair;
        }

        pair.Requests++;
        request.StartTimestamp = _context.Worker.NowTimestamp;
    }

    private void Observe(RpcRequest<TCodec> request, ReadOnlySpan<byte> headers, ReadOnlySpan<byte> service, ReadOnlySpan<byte> method)
    {
        Count(request, _context.Methods.Find(service, method));
        if (request.LogFields is not { } fields)
        {
            return;
        }

        fields.Clear();
        fields.SetService(service);
        fields.SetMethod(method);
        var codec = _context.Codec;
        var segments = _context.AccessLog!.Sink.Format.Segments;
        for (var i = 0; i < segments.Length; i++)
        {
            if (segments[i].Field == AccessLogField.RequestHeader && codec.TryGetHeader(headers, segments[i].Bytes, out var value))
            {
                fields.SetHeader(i, value);
            }
        }
    }

    /// <summary>
    /// The request ends: <paramref name="status"/> is what the client got (-1 for nothing), and
    /// <paramref name="bytesSent"/> the length of that answer.
    /// </summary>
    private void Record(RpcRequest<TCodec> request, int status, ResponseFlags flags, long bytesSent)
    {
        if (request.Method is not { } method)
        {
            return;
        }

        var micros = (long)((_context.Worker.NowTimestamp - request.StartTimestamp) * MicrosecondsPerTick);
        if (status >= 0)
        {
            method.RecordResponse((ushort)status, micros);
        }

        if (_context.AccessLog is { } log)
        {
            WriteLogLine(log, request, status, flags, bytesSent, micros);
        }
    }

    /// <summary>
    /// The request's access-log line. Out of line: the entry it builds is a large stack value, which
    /// the record of every request zeroed on its way in when this was part of it, log or not.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void WriteLogLine(AccessLogBuffer log, RpcRequest<TCodec> request, int status, ResponseFlags flags, long bytesSent, long micros)
    {
        var elapsed = TimeSpan.FromMicroseconds(micros);
        RpcAccessLogWriter.Write(log.Lines, log.Sink.Format, new RpcAccessLogEntry
        {
            Protocol = _context.ProtocolName,
            Fields = request.LogFields!,
            StartUtc = DateTime.UtcNow - elapsed,
            Status = status,
            Flags = ResponseFlagCodes.Of(flags),
            BytesReceived = request.Info.Length,
            BytesSent = bytesSent,
            DurationMs = (long)elapsed.TotalMilliseconds,
            UpstreamHost = request.HoldsHost ? request.Host!.Address : null,
            ClientAddress = _clientAddress,
        });
        log.LineWritten();
    }

    private static ResponseFlags FlagOf(RpcErrorKind error) => error switch
    {
        RpcErrorKind.NoRoute => ResponseFlags.NoRoute,
        RpcErrorKind.Timeout => ResponseFlags.UpstreamTimeout,
        RpcErrorKind.ConnectionClosed => ResponseFlags.UpstreamReset,
        RpcErrorKind.Overloaded => ResponseFlags.UpstreamOverflow,
        _ => ResponseFlags.None,
    };
}
