using System.Buffers;
using MeshEdge.Codecs.Http1;
using MeshEdge.Codecs.Tests.Http1.TestSupport;

namespace MeshEdge.Codecs.Tests.Http1;

/// <summary>
/// The hot path must not allocate: a cheap guard here, the benchmark's Allocated column for the figures.
/// Every parse inside the measured loop is also checked field by field, so a parser that gives up at
/// the first byte (and so allocates nothing) fails here rather than passing.
/// </summary>
public class AllocationTests
{
    private static readonly byte[] Request =
        "POST /upload?x=1 HTTP/1.1\r\nHost: h\r\nUser-Agent: t\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\n5;e=1\r\nhello\r\n0\r\nX-Sum: 1\r\n\r\n"u8.ToArray();

    /// <summary>The request's header fields then its trailer, in the order the handler must see them.</summary>
    private static readonly byte[][] ExpectedFields =
    [
        "Host"u8.ToArray(), "h"u8.ToArray(),
        "User-Agent"u8.ToArray(), "t"u8.ToArray(),
        "Transfer-Encoding"u8.ToArray(), "chunked"u8.ToArray(),
        "Connection"u8.ToArray(), "keep-alive"u8.ToArray(),
        "X-Sum"u8.ToArray(), "1"u8.ToArray(),
    ];

    private static readonly int HeadLength = Request.AsSpan().IndexOf("\r\n\r\n"u8) + 4;

    [Fact]
    public void Parsing_a_request_and_its_chunked_body_allocates_nothing()
    {
        var whole = new ReadOnlySequence<byte>(Request);
        var split = SegmentedSequence.Create(Request, 20, 45, 100);
        AssertParsedWhole(Parse(whole));
        AssertParsedWhole(Parse(split));

        var wrong = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            wrong += IsParsedWhole(Parse(whole)) ? 0 : 1;
            wrong += IsParsedWhole(Parse(split)) ? 0 : 1;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, wrong);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Writing_a_local_reply_allocates_nothing()
    {
        var output = new ArrayBufferWriter<byte>(1024);
        Http1LocalReply.Write(output, 404, "no route"u8, closeConnection: true);
        var expected = output.WrittenSpan.ToArray();
        Assert.StartsWith("HTTP/1.1 404 ", System.Text.Encoding.ASCII.GetString(expected));

        var wrong = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            output.ResetWrittenCount();
            Http1LocalReply.Write(output, 404, "no route"u8, closeConnection: true);
            wrong += output.WrittenSpan.SequenceEqual(expected) ? 0 : 1;
            Http1Writer.WriteChunkHeader(output, 4096);
            wrong += output.WrittenSpan[expected.Length..].SequenceEqual("1000\r\n"u8) ? 0 : 1;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, wrong);
        Assert.Equal(0, allocated);
    }

    /// <summary>Everything the parse of <see cref="Request"/> must yield; compared without allocating inside the loop.</summary>
    private static bool IsParsedWhole(in ParseOutcome outcome) =>
        outcome.Head == Http1ParseStatus.Complete
        && outcome.HeadConsumed == HeadLength
        && outcome.Method == Http1Method.Post
        && outcome.Version == Http1Version.Http11
        && outcome.Framing == Http1BodyKind.Chunked
        && outcome.KeepAlive
        && outcome.Handler.RequestLines == 1
        && outcome.Handler.TargetMatched
        && outcome.Handler.Fields == ExpectedFields.Length / 2
        && outcome.Handler.WrongFields == 0
        && outcome.Body == Http1BodyStepKind.Complete
        && outcome.BodyData == "hello".Length
        && outcome.TotalConsumed == Request.Length;

    /// <summary>The same check as <see cref="IsParsedWhole"/>, field by field, so a failure names what went wrong.</summary>
    private static void AssertParsedWhole(in ParseOutcome outcome)
    {
        Assert.Equal(Http1ParseStatus.Complete, outcome.Head);
        Assert.Equal(HeadLength, outcome.HeadConsumed);
        Assert.Equal(Http1Method.Post, outcome.Method);
        Assert.Equal(Http1Version.Http11, outcome.Version);
        Assert.Equal(Http1BodyKind.Chunked, outcome.Framing);
        Assert.True(outcome.KeepAlive);
        Assert.Equal(1, outcome.Handler.RequestLines);
        Assert.True(outcome.Handler.TargetMatched, "the target is /upload?x=1");
        Assert.Equal(ExpectedFields.Length / 2, outcome.Handler.Fields);
        Assert.Equal(0, outcome.Handler.WrongFields);
        Assert.Equal(Http1BodyStepKind.Complete, outcome.Body);
        Assert.Equal("hello".Length, outcome.BodyData);
        Assert.Equal(Request.Length, outcome.TotalConsumed);
        Assert.True(IsParsedWhole(outcome));
    }

    private static ParseOutcome Parse(ReadOnlySequence<byte> input)
    {
        var parser = new Http1RequestParser(Http1ParserLimits.Default);
        var outcome = default(ParseOutcome);
        var head = parser.Parse(ref outcome.Handler, input);
        outcome.Head = head.Status;
        outcome.HeadConsumed = head.Consumed;
        if (head.Status != Http1ParseStatus.Complete)
        {
            return outcome;
        }

        outcome.Method = parser.Head.Method;
        outcome.Version = parser.Head.Version;
        outcome.Framing = parser.Head.Framing.Kind;
        outcome.KeepAlive = parser.Head.KeepAlive;
        var body = new Http1BodyReader(parser.Head.Framing, Http1ParserLimits.Default);
        var rest = input.Slice(head.Consumed);
        outcome.TotalConsumed = head.Consumed;
        while (true)
        {
            var step = body.Read(ref outcome.Handler, rest);
            outcome.BodyData += step.DataLength;
            outcome.TotalConsumed += step.Consumed;
            rest = rest.Slice(step.Consumed);
            if (step.Kind is Http1BodyStepKind.Complete or Http1BodyStepKind.Error or Http1BodyStepKind.NeedMoreData)
            {
                outcome.Body = step.Kind;
                return outcome;
            }
        }
    }

    /// <summary>What one parse of a request and its body produced.</summary>
    private struct ParseOutcome
    {
        public RecordingHandler Handler;
        public Http1ParseStatus Head;
        public long HeadConsumed;
        public Http1Method Method;
        public Http1Version Version;
        public Http1BodyKind Framing;
        public bool KeepAlive;
        public Http1BodyStepKind Body;
        public long BodyData;
        public long TotalConsumed;
    }

    /// <summary>Checks each callback against the expected request as it comes, keeping only counts (no copies, no allocation).</summary>
    private struct RecordingHandler : IHttp1RequestHandler
    {
        public int RequestLines;
        public bool TargetMatched;
        public int Fields;
        public int WrongFields;

        public void OnRequestLine(Http1Method method, ReadOnlySpan<byte> methodToken, ReadOnlySpan<byte> target, Http1Version version)
        {
            RequestLines++;
            TargetMatched = target.SequenceEqual("/upload?x=1"u8) && methodToken.SequenceEqual("POST"u8);
        }

        public void OnHeader(Http1KnownHeader header, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
        {
            var at = Fields * 2;
            Fields++;
            if (at + 1 >= ExpectedFields.Length || !name.SequenceEqual(ExpectedFields[at]) || !value.SequenceEqual(ExpectedFields[at + 1]))
            {
                WrongFields++;
            }
        }
    }
}
