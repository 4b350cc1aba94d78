using System.Buffers;
using System.Text;
using MeshEdge.Codecs.Bolt;
using MeshEdge.Codecs.Rpc;
using MeshEdge.Codecs.Tests.TestSupport;

namespace MeshEdge.Codecs.Tests.Bolt;

public class BoltHeaderTests
{
    private static readonly BoltCodec Codec = new();

    /// <summary>sofa-bolt-node's protobuf request: five headers, as a real client sends them.</summary>
    private static readonly byte[] Protobuf = Bytes.FromHex(BoltGoldenFrames.V1ProtobufRequestWithoutContent);

    private static ReadOnlySpan<byte> HeaderBlock(byte[] bytes)
    {
        Assert.Equal(RpcReadStatus.Complete, Codec.ReadFrame(new ReadOnlySequence<byte>(bytes), out var frame).Status);
        return bytes.AsSpan(frame.HeaderOffset, frame.HeaderLength);
    }

    [Fact]
    public void Looks_up_each_header_by_name()
    {
        var block = HeaderBlock(Protobuf);

        Assert.True(Codec.TryGetHeader(block, "sofa_head_target_app"u8, out var app));
        Assert.Equal("test"u8, app);
        Assert.True(Codec.TryGetHeader(block, "rpc_trace_context.sofaTraceId"u8, out var trace));
        Assert.Equal("abc"u8, trace);
        Assert.False(Codec.TryGetHeader(block, "Service"u8, out _)); // names are case-sensitive, as in Java
        Assert.False(Codec.TryGetHeader(block, "servic"u8, out _));
        Assert.False(Codec.TryGetHeader(default, "service"u8, out _));
    }

    [Fact]
    public void Service_and_method_for_routing()
    {
        var block = HeaderBlock(Protobuf);
        Assert.Equal(RpcRouteNames.Found, Codec.ReadRouteNames(block, out var service, out var method));
        Assert.Equal("com.alipay.test.TestService:1.0"u8, service);
        Assert.Equal("plus"u8, method);
    }

    [Fact]
    public void A_hessian2_request_has_a_service_but_no_method_header()
    {
        var block = HeaderBlock(BoltTestFrames.V1Request);
        Assert.Equal(RpcRouteNames.Found, Codec.ReadRouteNames(block, out var service, out var method));
        Assert.Equal(BoltTestFrames.Service, Encoding.UTF8.GetString(service));
        Assert.True(method.IsEmpty);
    }

    [Fact]
    public void The_target_service_header_stands_in_for_a_missing_service_header()
    {
        var block = Bytes.HeaderEntry("sofa_head_target_service", "a.B:1.0");
        Assert.Equal(RpcRouteNames.Found, Codec.ReadRouteNames(block, out var service, out _));
        Assert.Equal("a.B:1.0"u8, service);
    }

    [Fact]
    public void The_service_header_wins_over_the_target_service_header_wherever_each_stands()
    {
        byte[] block = [.. Bytes.HeaderEntry("sofa_head_target_service", "t.T:1.0"), .. Bytes.HeaderEntry("service", "s.S:1.0")];
        Assert.Equal(RpcRouteNames.Found, Codec.ReadRouteNames(block, out var service, out _));
        Assert.Equal("s.S:1.0"u8, service);
    }

    [Fact]
    public void The_first_of_repeated_names_counts_as_a_lookup_by_name_would_find()
    {
        byte[] block =
        [
            .. Bytes.HeaderEntry("sofa_head_method_name", "first"),
            .. Bytes.HeaderEntry("service", "a.A:1.0"),
            .. Bytes.HeaderEntry("sofa_head_method_name", "second"),
            .. Bytes.HeaderEntry("service", "b.B:1.0"),
        ];
        Assert.Equal(RpcRouteNames.Found, Codec.ReadRouteNames(block, out var service, out var method));
        Assert.Equal("a.A:1.0"u8, service);
        Assert.Equal("first"u8, method);
    }

    [Fact]
    public void No_service_header_means_no_service_but_the_method_is_still_read()
    {
        byte[] block = [.. Bytes.HeaderEntry("sofa_head_method_name", "m"), .. Bytes.HeaderEntry("servicf", "x")];
        Assert.Equal(RpcRouteNames.NoService, Codec.ReadRouteNames(block, out var service, out var method));
        Assert.True(service.IsEmpty);
        Assert.Equal("m"u8, method);
        Assert.Equal(RpcRouteNames.NoService, Codec.ReadRouteNames(default, out _, out _));
    }

    [Fact]
    public void The_walk_for_the_names_checks_the_whole_block_even_after_it_found_them()
    {
        // The frame reader leaves a request's header block to this walk, so an entry that overruns
        // the block is malformed wherever it stands, also after the service and the method.
        byte[] sound = [.. Bytes.HeaderEntry("service", "a.A:1.0"), .. Bytes.HeaderEntry("sofa_head_method_name", "m")];
        byte[] overrun = [.. sound, 0, 0, 0, 3, (byte)'k', (byte)'e', (byte)'y', 0, 0, 0, 9, (byte)'v'];
        byte[] cutLength = [.. sound, 0, 0];

        Assert.Equal(RpcRouteNames.Found, Codec.ReadRouteNames(sound, out _, out _));
        Assert.Equal(RpcRouteNames.Malformed, Codec.ReadRouteNames(overrun, out var service, out var method));
        Assert.True(service.IsEmpty && method.IsEmpty);
        Assert.Equal(RpcRouteNames.Malformed, Codec.ReadRouteNames(cutLength, out _, out _));
    }

    [Fact]
    public void Visits_headers_in_wire_order()
    {
        var visitor = new CollectingVisitor(new List<string>(), stopAfter: int.MaxValue);
        Assert.True(Codec.VisitHeaders(HeaderBlock(Protobuf), ref visitor));
        Assert.Equal(
            [
                "service=com.alipay.test.TestService:1.0",
                "sofa_head_method_name=plus",
                "sofa_head_target_app=test",
                "sofa_head_target_service=com.alipay.test.TestService:1.0",
                "rpc_trace_context.sofaTraceId=abc",
            ],
            visitor.Seen);
    }

    [Fact]
    public void A_visitor_can_stop_early()
    {
        var visitor = new CollectingVisitor(new List<string>(), stopAfter: 2);
        Assert.True(Codec.VisitHeaders(HeaderBlock(Protobuf), ref visitor));
        Assert.Equal(2, visitor.Seen.Count);
    }

    [Fact]
    public void A_ref_struct_visitor_counts_without_allocating()
    {
        var visitor = new CountingVisitor();
        Assert.True(Codec.VisitHeaders(HeaderBlock(Protobuf), ref visitor));
        Assert.Equal(5, visitor.Count);
    }

    [Fact]
    public void Visiting_a_malformed_block_says_so()
    {
        byte[] block = [.. Bytes.HeaderEntry("a", "b"), 0x00, 0x00, 0x00, 0x09, (byte)'x'];
        var visitor = new CollectingVisitor(new List<string>(), stopAfter: int.MaxValue);
        Assert.False(Codec.VisitHeaders(block, ref visitor));
        Assert.Equal(["a=b"], visitor.Seen);
        Assert.False(Codec.TryGetHeader(block, "x"u8, out _));
    }

    [Fact]
    public void Null_and_empty_values_read_as_empty()
    {
        byte[] block =
        [
            0x00, 0x00, 0x00, 0x01, (byte)'n', 0xFF, 0xFF, 0xFF, 0xFF, // n = null (length -1)
            0x00, 0x00, 0x00, 0x01, (byte)'e', 0x00, 0x00, 0x00, 0x00, // e = ""
            .. Bytes.HeaderEntry("v", "1"),
        ];
        Assert.True(Codec.TryGetHeader(block, "n"u8, out var n));
        Assert.True(n.IsEmpty);
        Assert.True(Codec.TryGetHeader(block, "e"u8, out var e));
        Assert.True(e.IsEmpty);
        Assert.True(Codec.TryGetHeader(block, "v"u8, out var v));
        Assert.Equal("1"u8, v);
    }

    [Fact]
    public void A_header_block_split_across_segments_is_made_contiguous_in_scratch()
    {
        var bytes = Protobuf;
        Codec.ReadFrame(new ReadOnlySequence<byte>(bytes), out var frame);
        Span<byte> scratch = stackalloc byte[frame.HeaderLength];
        for (var cut = 1; cut < bytes.Length; cut++)
        {
            var sequence = SegmentedSequence.Split(bytes, cut);
            Assert.True(RpcFrameBytes.TryGetContiguous(sequence, frame.HeaderOffset, frame.HeaderLength, scratch, out var block));
            Assert.Equal(RpcRouteNames.Found, Codec.ReadRouteNames(block, out var service, out _));
            Assert.Equal("com.alipay.test.TestService:1.0"u8, service);
        }
    }

    [Fact]
    public void Contiguous_bytes_come_without_a_copy_when_they_lie_in_one_segment()
    {
        var sequence = SegmentedSequence.Split(Protobuf, 10, 200);
        Assert.True(RpcFrameBytes.TryGetContiguous(sequence, 20, 100, default, out var inSecond));
        Assert.Equal(Protobuf.AsSpan(20, 100), inSecond);
        Assert.False(RpcFrameBytes.TryGetContiguous(sequence, 150, 100, new byte[99], out _));
        Assert.False(RpcFrameBytes.TryGetContiguous(sequence, 250, 100, new byte[100], out _));
        Assert.False(RpcFrameBytes.TryGetContiguous(sequence, -1, 1, new byte[1], out _));
    }

    private struct CollectingVisitor(List<string> seen, int stopAfter) : IRpcHeaderVisitor
    {
        public List<string> Seen { get; } = seen;

        public bool OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
        {
            Seen.Add($"{Encoding.UTF8.GetString(name)}={Encoding.UTF8.GetString(value)}");
            return Seen.Count < stopAfter;
        }
    }

    private ref struct CountingVisitor : IRpcHeaderVisitor
    {
        public int Count;

        public bool OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
        {
            Count++;
            return true;
        }
    }
}
