using System.Buffers;

namespace MeshEdge.Codecs.Rpc;

/// <summary>
/// What a multiplexed RPC session needs from a protocol, and nothing more: where a frame ends, what
/// kind it is, its request id (read it, rewrite it in place), its headers for routing, and the
/// protocol-correct frames the proxy writes itself (heartbeat replies and probes, error responses).
/// The session forwards every other byte untouched. Modelled on MOSN's x-protocol (Decode, Trigger,
/// Reply, Hijack, Get/SetRequestId, IsHeartbeatFrame) and Envoy's generic proxy codec, but split so
/// that nothing is allocated per frame: <see cref="ReadFrame"/> returns a small value
/// (<see cref="RpcFrameInfo"/>) and every later call takes that value plus the frame's bytes.
/// </summary>
/// <remarks>
/// <para>
/// Implement it on a readonly struct and consume it as a generic constraint
/// (<c>RpcSession&lt;TCodec&gt; where TCodec : struct, IRpcCodec</c>) so that calls are specialised and
/// inlined, as Kestrel does with its parser handlers. A codec holds configuration only (maximum frame
/// size, version for frames it originates); it keeps no per-connection state, so one value can be
/// copied to every worker. No member throws on bad input: malformed bytes are a return value.
/// </para>
/// <para>
/// How Dubbo maps onto it without a change. <see cref="Detect"/>: magic 0xda 0xbb (one byte 0xda is
/// <see cref="RpcDetection.NeedMoreData"/>). <see cref="ReadFrame"/>: the 16-byte header, then
/// 16 + body length (i32; negative is <see cref="RpcMalformedReason.BadLength"/>, above the maximum
/// <see cref="RpcMalformedReason.FrameTooLarge"/>). Kind from the flag byte: 0x80 request bit set and
/// the 0x20 event bit set is <see cref="RpcFrameKind.HeartbeatRequest"/>; request bit without event
/// is <see cref="RpcFrameKind.Request"/> when the 0x40 two-way bit is set, else
/// <see cref="RpcFrameKind.Oneway"/>; no request bit is <see cref="RpcFrameKind.Response"/>, or
/// <see cref="RpcFrameKind.HeartbeatResponse"/> with the event bit. <see cref="RpcFrameInfo.RequestId"/>
/// is the 8-byte id at offset 4 (<see cref="MaxRequestId"/> = <see cref="long.MaxValue"/>, and
/// <see cref="TrySetRequestId"/> writes 8 big-endian bytes there; Dubbo has no checksum to refresh);
/// <see cref="RpcFrameInfo.Status"/> is the status byte (20 OK); <see cref="RpcFrameInfo.Serialization"/>
/// the flag's low 5 bits; <see cref="RpcFrameInfo.CodecState"/> keeps the flag byte so that replies use
/// the request's serialization. Dubbo's header carries no timeout: TimeoutMilliseconds is 0 (a codec
/// may lift the <c>timeout</c> attachment if it parses the body). The header block
/// (<see cref="RpcFrameInfo.HeaderOffset"/>) is the body: <see cref="ReadRouteNames"/> reads the
/// hessian2 strings that open it (dubbo version, service path,
/// service version, method), and <see cref="TryGetHeader"/> / <see cref="VisitHeaders{TVisitor}"/> read the
/// attachments map that ends it, with string spans pointing into the frame. Error responses map
/// <see cref="RpcErrorKind"/> onto status bytes (NoRoute 60 SERVICE_NOT_FOUND, Timeout 31
/// SERVER_TIMEOUT, ConnectionClosed 80 SERVER_ERROR, Overloaded 100 SERVER_THREADPOOL_EXHAUSTED,
/// CodecError 40 BAD_REQUEST) with a hessian2 error string as the body; a heartbeat reply is a
/// response with the event bit, status 20 and the request's id; a heartbeat probe is a two-way
/// event request whose body is hessian2 null.
/// </para>
/// </remarks>
internal interface IRpcCodec
{
    /// <summary>A short lowercase name for logs and stats ("bolt", "dubbo").</summary>
    string Name { get; }

    /// <summary>Frames declaring more bytes than this are rejected before they are buffered.</summary>
    int MaxFrameSize { get; }

    /// <summary>The largest id the wire can carry; a session allocates upstream ids in 1..MaxRequestId.</summary>
    ulong MaxRequestId { get; }

    /// <summary>Tells from a connection's first bytes whether they are this protocol's.</summary>
    RpcDetection Detect(ReadOnlySpan<byte> prefix);

    /// <summary>
    /// Looks for one whole frame at the start of <paramref name="input"/> (which may hold more frames,
    /// or a part of one, in any number of segments). On <see cref="RpcReadStatus.Complete"/>,
    /// <paramref name="frame"/> describes the first <see cref="RpcReadResult.FrameLength"/> bytes, which
    /// have been validated (lengths, header block structure, checksum), but for what
    /// <paramref name="check"/> leaves to the caller.
    /// </summary>
    RpcReadResult ReadFrame(in ReadOnlySequence<byte> input, out RpcFrameInfo frame, RpcFrameCheck check = RpcFrameCheck.Whole);

    /// <summary>
    /// The same as the sequence overload for input in one piece: a session's input block usually holds
    /// whole frames, and reading them as a span skips the sequence bookkeeping on the hot path. A
    /// frame cut off by the end of <paramref name="input"/> is <see cref="RpcReadStatus.NeedMoreData"/>.
    /// </summary>
    RpcReadResult ReadFrame(ReadOnlySpan<byte> input, out RpcFrameInfo frame, RpcFrameCheck check = RpcFrameCheck.Whole);

    /// <summary>
    /// Rewrites the request id inside the frame's own bytes (and any checksum that covers it), so the
    /// frame can be forwarded as it is. <paramref name="frame"/> starts at the frame's first byte and must
    /// be backed by writable memory. False when the id is above <see cref="MaxRequestId"/> or the bytes
    /// are shorter than <paramref name="info"/> says.
    /// </summary>
    bool TrySetRequestId(in ReadOnlySequence<byte> frame, in RpcFrameInfo info, ulong requestId);

    /// <summary>The same for a frame in one piece of writable memory.</summary>
    bool TrySetRequestId(Span<byte> frame, in RpcFrameInfo info, ulong requestId);

    /// <summary>
    /// Finds the first header called <paramref name="name"/> in the frame's header block (the
    /// <see cref="RpcFrameInfo.HeaderLength"/> bytes at <see cref="RpcFrameInfo.HeaderOffset"/>; see
    /// <see cref="RpcFrameBytes.TryGetContiguous"/>). The value is a slice of that block.
    /// </summary>
    bool TryGetHeader(ReadOnlySpan<byte> headerBlock, ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value);

    /// <summary>Hands each header to the visitor in wire order; false when the block is malformed.</summary>
    bool VisitHeaders<TVisitor>(ReadOnlySpan<byte> headerBlock, ref TVisitor visitor)
        where TVisitor : IRpcHeaderVisitor, allows ref struct;

    /// <summary>
    /// The names a request is routed on, read in one pass over the header block that checks the
    /// block's structure on the way (what <see cref="RpcFrameCheck.AllButRequestHeaders"/> left
    /// unchecked): the target service as the protocol names it (Bolt: the <c>service</c> header), and
    /// the method when the protocol carries it outside the serialized payload (empty otherwise).
    /// </summary>
    RpcRouteNames ReadRouteNames(ReadOnlySpan<byte> headerBlock, out ReadOnlySpan<byte> service, out ReadOnlySpan<byte> method);

    /// <summary>
    /// The method read from the first bytes of a request's content, for protocols that keep it in the
    /// payload (Bolt hessian2: <c>SofaRequest.methodName</c>); for stats and logs when
    /// <see cref="ReadRouteNames"/> finds no method. False when the prefix does not reach it.
    /// The method is a slice of <paramref name="contentPrefix"/>, and what is read depends on nothing but
    /// <paramref name="request"/>'s <see cref="RpcFrameInfo.Serialization"/> and the prefix's bytes up to
    /// the method's end: a caller may key on those (the session's route cache does).
    /// </summary>
    bool TryGetMethodNameFromContent(scoped in RpcFrameInfo request, ReadOnlySpan<byte> contentPrefix, out ReadOnlySpan<byte> method);

    /// <summary>True when a response's <see cref="RpcFrameInfo.Status"/> means success (Bolt 0, Dubbo 20), for stats.</summary>
    bool IsSuccess(in RpcFrameInfo response);

    /// <summary>
    /// Writes the reply to a <see cref="RpcFrameKind.HeartbeatRequest"/> (same id, same version); returns
    /// the bytes written, or 0 when <paramref name="heartbeat"/> is not a heartbeat request.
    /// </summary>
    int WriteHeartbeatReply(in RpcFrameInfo heartbeat, IBufferWriter<byte> output);

    /// <summary>Writes a heartbeat probe with the given id, as an upstream pool sends to idle connections.</summary>
    int WriteHeartbeatRequest(ulong requestId, IBufferWriter<byte> output);

    /// <summary>
    /// Writes a response to <paramref name="request"/> that the client reads as the given failure, with
    /// the request's id, version and serialization. Returns the bytes written; 0 for frames that take no
    /// response (oneway, responses).
    /// </summary>
    int WriteErrorResponse(in RpcFrameInfo request, RpcErrorKind error, IBufferWriter<byte> output);

    /// <summary>The status an error response written for <paramref name="error"/> carries, in the protocol's numbering (for stats and logs).</summary>
    ushort ErrorStatus(RpcErrorKind error);
}
