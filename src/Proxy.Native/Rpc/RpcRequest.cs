using System.Runtime.CompilerServices;
using MeshEdge.Codecs.Rpc;
using MeshEdge.Native.Runtime;

using MeshEdge.Native.Upstream;

namespace MeshEdge.Native.Rpc;

/// <summary>
/// One request between its arrival from downstream and its end (response, error reply, or its
/// session going away). Pooled per worker (<see cref="RpcWorkerContext{TCodec}.RentRequest"/>): the
/// frame chain is made once per record, so a request allocates nothing. Records link to each other
/// by <see cref="Index"/> (<see cref="RpcRequestRecords{TCodec}"/>), not by reference.
/// </summary>
internal sealed class RpcRequest<TCodec>(int index)
    where TCodec : struct, IRpcCodec
{
    /// <summary>The record's place among its context's records, for its whole life.</summary>
    public int Index { get; } = index;

    /// <summary>The frame's bytes, held only while the request waits for a connection (so it can be retried elsewhere).</summary>
    public BlockChain Frame { get; } = new();

    /// <summary>The frame as the client sent it: its request id is the downstream id, and error replies answer it.</summary>
    public RpcFrameInfo Info;

    public RpcRequestState State;

    /// <summary>
    /// The client session the request came from. Kept across the record's reuse (as is <see cref="Host"/>)
    /// and stored only when it changes: a stored reference is a GC write barrier, and a record's next
    /// request nearly always comes from the same session. Whether the request is in the session's
    /// list is said by its links (<see cref="SessionPrevious"/>, the session's first request), not
    /// by this field; a free record may still name a session that has ended.
    /// </summary>
    public RpcDownstreamSession<TCodec>? Session;

    /// <summary>
    /// The upstream connection the request was written to or waits for: meaningful only while
    /// <see cref="State"/> is not <see cref="RpcRequestState.Free"/>. Kept across the record's reuse
    /// and stored only when it changes, as is <see cref="Session"/>.
    /// </summary>
    public RpcUpstreamConnection<TCodec>? Upstream;

    /// <summary>The id this request carries on its upstream connection.</summary>
    public ulong UpstreamId;

    public int ClusterIndex;

    /// <summary>
    /// The host the balancer picked, whose active count drops when the request ends; meaningful only
    /// while <see cref="HoldsHost"/>. Kept across the record's reuse (as is <see cref="Method"/>), and
    /// stored only when it changes: a stored reference is a GC write barrier, about 14 instructions,
    /// and a record's next request nearly always goes to the same host with the same method.
    /// </summary>
    public UpstreamHost? Host;

    /// <summary>The request counts among <see cref="Host"/>'s active requests.</summary>
    public bool HoldsHost;

    /// <summary>The host whose connect failed last for this request; a retry avoids it.</summary>
    public UpstreamHost? FailedHost;

    /// <summary>Connect attempts made for this request (hosts tried).</summary>
    public int Attempts;

    /// <summary>Circuit-breaker slots the request holds on its cluster: max_requests until it ends, max_pending_requests while it waits for a connect.</summary>
    public bool HoldsRequestSlot;

    public bool HoldsPendingSlot;

    /// <summary>The downstream client's address hash, for consistent-hash balancing.</summary>
    public ulong ClientHash;

    /// <summary>
    /// Neighbours in the session's list of open requests, by record index (<see cref="RpcRequestRecords{TCodec}.None"/>
    /// at the ends): intrusive, so linking never allocates, and ints, so it stores no reference.
    /// </summary>
    public int SessionPrevious = RpcRequestRecords<TCodec>.None;

    public int SessionNext = RpcRequestRecords<TCodec>.None;

    /// <summary>The next free record while this one is free (<see cref="RpcRequestRecords{TCodec}"/>).</summary>
    public int NextFree = RpcRequestRecords<TCodec>.None;

    /// <summary>
    /// The counters of the request's (service, method) pair; null until the record's first request
    /// is routed, then kept across its reuse (set again when a request routes to another pair):
    /// only a routed request is ever recorded.
    /// </summary>
    public RpcMethodStats? Method;

    /// <summary>
    /// When its own timeout (or its route's) runs out, in <see cref="Worker.NowMs"/> time; 0 when it
    /// waits for no answer. Its session's timer watches it (<see cref="RpcDownstreamSession{TCodec}"/>).
    /// </summary>
    public long DeadlineMs;

    /// <summary>When it arrived: the worker's batch timestamp (<see cref="Worker.NowTimestamp"/>).</summary>
    public long StartTimestamp;

    /// <summary>What its access-log line needs from the request; made once per record, only when the listener logs.</summary>
    public AccessLogs.RpcLogFields? LogFields;

    public bool IsOneway => Info.Kind == RpcFrameKind.Oneway;

    /// <summary>Back to a free record's state; inlined into the release every call goes through.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Reset()
    {
        // Info is not cleared: a record is rented only for a request, which writes its Info first.
        State = RpcRequestState.Free;
        UpstreamId = 0;
        ClusterIndex = -1;
        HoldsHost = false;
        FailedHost = null;
        Attempts = 0;
        HoldsRequestSlot = HoldsPendingSlot = false;
        ClientHash = 0;
        StartTimestamp = 0;
        DeadlineMs = 0;
        SessionPrevious = SessionNext = RpcRequestRecords<TCodec>.None;
    }
}
