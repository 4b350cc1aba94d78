using System.Buffers;
using MeshEdge.Codecs.Http1;
using MeshEdge.Codecs.Tests.Http1.TestSupport;

namespace MeshEdge.Codecs.Tests.Http1;

/// <summary>The hot path must not allocate: a cheap guard here, the benchmark's Allocated column for the figures.</summary>
public class AllocationTests
{
    private static readonly byte[] Request =
        "POST /upload?x=1 HTTP/1.1\r\nHost: h\r\nUser-Agent: t\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\n5;e=1\r\nhello\r\n0\r\nX-Sum: 1\r\n\r\n"u8.ToArray();

    [Fact]
    public void Parsing_a_request_and_its_chunked_body_allocates_nothing()
    {
        var whole = new ReadOnlySequence<byte>(Request);
        var split = SegmentedSequence.Create(Request, 20, 45, 100);
        Parse(whole);
        Parse(split);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            Parse(whole);
            Parse(split);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Writing_a_local_reply_allocates_nothing()
    {
        var output = new ArrayBufferWriter<byte>(1024);
        Http1LocalReply.Write(output, 404, "no route"u8, closeConnection: true);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            output.ResetWrittenCount();
            Http1LocalReply.Write(output, 404, "no route"u8, closeConnection: true);
            Http1Writer.WriteChunkHeader(output, 4096);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static long Parse(ReadOnlySequence<byte> input)
    {
        var parser = new Http1RequestParser(Http1ParserLimits.Default);
        var handler = new CountingHandler();
        var head = parser.Parse(ref handler, input);
        var body = new Http1BodyReader(parser.Head.Framing, Http1ParserLimits.Default);
        var rest = input.Slice(head.Consumed);
        var total = head.Consumed;
        while (true)
        {
            var step = body.Read(ref handler, rest);
            total += step.DataLength;
            rest = rest.Slice(step.Consumed);
            if (step.Kind is Http1BodyStepKind.Complete or Http1BodyStepKind.Error or Http1BodyStepKind.NeedMoreData)
            {
                return total + handler.Count;
            }
        }
    }

    private struct CountingHandler : IHttp1RequestHandler
    {
        public int Count;

        public void OnRequestLine(Http1Method method, ReadOnlySpan<byte> methodToken, ReadOnlySpan<byte> target, Http1Version version) => Count++;

        public void OnHeader(Http1KnownHeader header, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) => Count += value.Length;
    }
}
