using System.Buffers;
using MeshEdge.Codecs.Http1;
using MeshEdge.Codecs.Tests.TestSupport;

namespace MeshEdge.Fuzz;

/// <summary>
/// The input as a request, then as a response, each whole and cut in two at a point its first byte
/// chooses: no exception, nothing consumed past the input, the same verdict however the bytes arrive.
/// </summary>
internal static class Http1Target
{
    public static void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return;
        }

        var whole = new ReadOnlySequence<byte>(input.ToArray());
        var split = SegmentedSequence.Split(input, input[0] % Math.Max(input.Length, 1));
        var request = ParseRequest(whole);
        Invariant.Holds(request == ParseRequest(split), "a request gets the same verdict whole or split");
        var response = ParseResponse(whole);
        Invariant.Holds(response == ParseResponse(split), "a response gets the same verdict whole or split");
    }

    private static (Http1ParseStatus Head, Http1Error Error, long Consumed, Http1BodyStepKind Body, long BodyData) ParseRequest(ReadOnlySequence<byte> input)
    {
        var parser = new Http1RequestParser(Http1ParserLimits.Default);
        var handler = default(CountingHandler);
        var head = parser.Parse(ref handler, input);
        Invariant.Holds(head.Consumed >= 0 && head.Consumed <= input.Length, "the request parser consumes within the input");
        if (head.Status != Http1ParseStatus.Complete)
        {
            return (head.Status, head.Error, head.Consumed, default, 0);
        }

        var (body, data, consumed) = ReadBody(parser.Head.Framing, input.Slice(head.Consumed), ref handler);
        return (head.Status, head.Error, head.Consumed + consumed, body, data);
    }

    private static (Http1ParseStatus Head, Http1Error Error, long Consumed, Http1BodyStepKind Body, long BodyData) ParseResponse(ReadOnlySequence<byte> input)
    {
        var parser = new Http1ResponseParser(Http1ParserLimits.Default, Http1Method.Get);
        var handler = default(CountingHandler);
        var head = parser.Parse(ref handler, input);
        Invariant.Holds(head.Consumed >= 0 && head.Consumed <= input.Length, "the response parser consumes within the input");
        if (head.Status != Http1ParseStatus.Complete)
        {
            return (head.Status, head.Error, head.Consumed, default, 0);
        }

        var (body, data, consumed) = ReadBody(parser.Head.Framing, input.Slice(head.Consumed), ref handler);
        return (head.Status, head.Error, head.Consumed + consumed, body, data);
    }

    private static (Http1BodyStepKind Kind, long Data, long Consumed) ReadBody(Http1BodyFraming framing, ReadOnlySequence<byte> rest, ref CountingHandler handler)
    {
        var reader = new Http1BodyReader(framing, Http1ParserLimits.Default);
        long data = 0;
        long consumed = 0;
        while (true)
        {
            var step = reader.Read(ref handler, rest);
            Invariant.Holds(step.Consumed >= 0 && step.Consumed <= rest.Length, "the body reader consumes within the input");
            Invariant.Holds(step.DataLength >= 0 && step.DataOffset + step.DataLength <= step.Consumed, "body data lies inside what was consumed");
            data += step.DataLength;
            consumed += step.Consumed;
            rest = rest.Slice(step.Consumed);
            if (step.Kind is Http1BodyStepKind.Complete or Http1BodyStepKind.Error or Http1BodyStepKind.NeedMoreData)
            {
                return (step.Kind, data, consumed);
            }

            Invariant.Holds(step.Consumed > 0, "a data step makes progress");
        }
    }

    private struct CountingHandler : IHttp1RequestHandler, IHttp1ResponseHandler
    {
        public int Lines;

        public void OnRequestLine(Http1Method method, ReadOnlySpan<byte> methodToken, ReadOnlySpan<byte> target, Http1Version version) => Lines++;

        public void OnStatusLine(Http1Version version, int statusCode, ReadOnlySpan<byte> reasonPhrase) => Lines++;

        public void OnHeader(Http1KnownHeader header, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) => Lines++;
    }
}
