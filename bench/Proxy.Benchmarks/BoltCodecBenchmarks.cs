using System.Buffers;
using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using MeshEdge.Codecs.Bolt;
using MeshEdge.Codecs.Rpc;

namespace MeshEdge.Benchmarks;

/// <summary>
/// The per-request work of a Bolt RPC session: find the frame, read its <c>service</c> header for
/// routing, give it a fresh upstream id. Must stay allocation-free (see the Allocated column).
/// "v1" is a typical SOFA request in one block; "v2-crc-split" is the same request in Bolt v2 with
/// CRC32 on, cut at byte 100 (inside the header map, so the header block is copied to scratch),
/// and the id rewrite also refreshes the checksum.
/// </summary>
[MemoryDiagnoser]
public class BoltCodecBenchmarks
{
    private readonly BoltCodec _codec = new();
    private ReadOnlySequence<byte> _input;
    private RpcFrameInfo _frame;
    private byte[] _headerScratch = null!;
    private uint _nextId;

    [Params("v1", "v2-crc-split")]
    public string Layout { get; set; } = "v1";

    [GlobalSetup]
    public void Setup()
    {
        var frame = BuildRequest(Layout == "v1" ? BoltVersion.V1 : BoltVersion.V2, crc: Layout != "v1");
        _input = Layout == "v1" ? new ReadOnlySequence<byte>(frame) : TwoSegments(frame, cut: 100);
        _headerScratch = new byte[ushort.MaxValue];
        if (_codec.ReadFrame(_input, out _frame).Status != RpcReadStatus.Complete)
        {
            throw new InvalidOperationException("benchmark frame does not decode");
        }
    }

    [Benchmark]
    public int FrameRequest()
    {
        _codec.ReadFrame(_input, out var frame);
        return frame.Length;
    }

    [Benchmark]
    public int ReadRouteNames()
    {
        RpcFrameBytes.TryGetContiguous(_input, _frame.HeaderOffset, _frame.HeaderLength, _headerScratch, out var headers);
        _codec.ReadRouteNames(headers, out var service, out _);
        return service.Length;
    }

    [Benchmark]
    public bool RewriteRequestId() => _codec.TrySetRequestId(_input, _frame, ++_nextId);

    /// <summary>All three, as a session does them for each request.</summary>
    [Benchmark]
    public bool PerRequest()
    {
        // The header map is left to the routing walk, which checks it while it reads the names.
        _codec.ReadFrame(_input, out var frame, RpcFrameCheck.AllButRequestHeaders);
        RpcFrameBytes.TryGetContiguous(_input, frame.HeaderOffset, frame.HeaderLength, _headerScratch, out var headers);
        return _codec.ReadRouteNames(headers, out _, out _) == RpcRouteNames.Found && _codec.TrySetRequestId(_input, frame, ++_nextId);
    }

    /// <summary>A hessian2 SOFA request with the five headers a protobuf-style client sends and 256 bytes of content.</summary>
    private static byte[] BuildRequest(BoltVersion version, bool crc)
    {
        var headers = new ArrayBufferWriter<byte>();
        foreach (var (key, value) in new[]
        {
            ("service", "com.alipay.test.TestService:1.0"),
            ("sofa_head_method_name", "plus"),
            ("sofa_head_target_app", "test"),
            ("sofa_head_target_service", "com.alipay.test.TestService:1.0"),
            ("rpc_trace_context.sofaTraceId", "0a0fe8ec1580000000000000000001"),
        })
        {
            var k = System.Text.Encoding.UTF8.GetBytes(key);
            var v = System.Text.Encoding.UTF8.GetBytes(value);
            var span = headers.GetSpan(8 + k.Length + v.Length);
            BinaryPrimitives.WriteInt32BigEndian(span, k.Length);
            k.CopyTo(span[4..]);
            BinaryPrimitives.WriteInt32BigEndian(span[(4 + k.Length)..], v.Length);
            v.CopyTo(span[(8 + k.Length)..]);
            headers.Advance(8 + k.Length + v.Length);
        }

        var output = new ArrayBufferWriter<byte>();
        var state = new BoltCodecState(version, version == BoltVersion.V2 ? (byte)1 : (byte)0, crc ? (byte)1 : (byte)0, 1);
        BoltFrameWriter.WriteRequest(
            output, state, BoltCommandType.Request, BoltCommandCode.Request, 1, 1, 3000,
            "com.alipay.sofa.rpc.core.request.SofaRequest"u8, headers.WrittenSpan, new byte[256]);
        return output.WrittenSpan.ToArray();
    }

    private static ReadOnlySequence<byte> TwoSegments(byte[] frame, int cut)
    {
        var first = new Segment(frame.AsMemory(0, cut), 0);
        var second = new Segment(frame.AsMemory(cut), cut);
        first.SetNext(second);
        return new ReadOnlySequence<byte>(first, 0, second, second.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public void SetNext(Segment next) => Next = next;
    }
}
