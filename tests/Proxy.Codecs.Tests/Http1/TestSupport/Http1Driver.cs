using System.Buffers;
using System.Text;
using MeshEdge.Codecs.Http1;

namespace MeshEdge.Codecs.Tests.Http1.TestSupport;

/// <summary>
/// Plays a connection's input through the codec the way a session will: bytes arrive in pieces (each
/// its own segment), the unconsumed rest is offered again with each new piece, heads are parsed,
/// bodies streamed, and pipelined messages follow one another.
/// </summary>
internal static class Http1Driver
{
    public static DriverOutcome Requests(string text, Http1ParserLimits? limits = null, IReadOnlyList<int>? arrivals = null, IReadOnlyList<int>? cuts = null) =>
        Requests(Encoding.Latin1.GetBytes(text), limits, arrivals, cuts);

    public static DriverOutcome Requests(byte[] data, Http1ParserLimits? limits = null, IReadOnlyList<int>? arrivals = null, IReadOnlyList<int>? cuts = null)
    {
        var parser = new Http1RequestParser(limits ?? Http1ParserLimits.Default);
        return Run(data, limits, arrivals, cuts, (handler, input) =>
        {
            var result = parser.Parse(ref handler, input);
            if (result.Status == Http1ParseStatus.Complete)
            {
                var head = parser.Head;
                parser.Reset();
                return (result, head.Framing, new PartialMessage(head.KeepAlive, head.ExpectContinue, head.IsUpgrade) { RequestHead = head });
            }

            return (result, default, null);
        });
    }

    public static DriverOutcome Responses(string text, Http1Method requestMethod = Http1Method.Get, IReadOnlyList<int>? arrivals = null, IReadOnlyList<int>? cuts = null)
    {
        var limits = Http1ParserLimits.Default;
        var parser = new Http1ResponseParser(limits, requestMethod);
        return Run(Encoding.Latin1.GetBytes(text), limits, arrivals, cuts, (handler, input) =>
        {
            var result = parser.Parse(ref handler, input);
            if (result.Status == Http1ParseStatus.Complete)
            {
                var head = parser.Head;
                parser.Reset(requestMethod);
                return (result, head.Framing, new PartialMessage(head.KeepAlive, false, head.IsTunnel) { ResponseHead = head });
            }

            return (result, default, null);
        });
    }

    private static DriverOutcome Run(
        byte[] data,
        Http1ParserLimits? limits,
        IReadOnlyList<int>? arrivals,
        IReadOnlyList<int>? cuts,
        Func<RecordingHandler, ReadOnlySequence<byte>, (Http1ParseResult Result, Http1BodyFraming Framing, PartialMessage? Head)> parseHead)
    {
        var arrivalPoints = (arrivals ?? []).Where(a => a > 0 && a < data.Length).Order().Append(data.Length).ToList();
        var boundaries = arrivalPoints.Concat(cuts ?? []).ToList();
        var messages = new List<ParsedMessage>();
        var position = 0;
        var arrivalIndex = 0;
        var handler = new RecordingHandler();
        var trailers = new RecordingHandler();
        PartialMessage? current = null;
        Http1BodyReader body = default;
        var bodyBytes = new List<byte>();

        while (true)
        {
            var arrived = arrivalPoints[arrivalIndex];
            var input = SegmentedSequence.Create(data, position, arrived, boundaries);
            var progressed = false;
            if (current is null)
            {
                var (result, framing, head) = parseHead(handler, input);
                position += (int)result.Consumed;
                if (result.Status == Http1ParseStatus.Error)
                {
                    return new DriverOutcome(messages, result.Error, result.StatusToSend, position, true);
                }

                if (head is not null)
                {
                    current = head;
                    body = new Http1BodyReader(framing, limits ?? Http1ParserLimits.Default);
                    progressed = true;
                }
            }

            if (current is not null)
            {
                input = SegmentedSequence.Create(data, position, arrived, boundaries);
                var step = body.Read(ref trailers, input);
                if (step.Kind == Http1BodyStepKind.Error)
                {
                    return new DriverOutcome(messages, step.Error, 0, position, true);
                }

                bodyBytes.AddRange(input.Slice(step.DataOffset, step.DataLength).ToArray());
                position += (int)step.Consumed;
                progressed |= step.Consumed > 0;
                if (step.Kind == Http1BodyStepKind.Complete)
                {
                    messages.Add(current.Finish(handler, trailers, bodyBytes, complete: true));
                    (handler, trailers, current) = (new RecordingHandler(), new RecordingHandler(), null);
                    bodyBytes.Clear();
                    progressed = true;
                }
            }

            if (progressed && position < arrived)
            {
                continue;
            }

            if (arrived == data.Length)
            {
                var mid = current is not null || position < data.Length;
                if (current is not null)
                {
                    // A body delimited by the close ends here; anything else is truncated.
                    messages.Add(current.Finish(handler, trailers, bodyBytes, complete: false));
                }

                return new DriverOutcome(messages, Http1Error.None, 0, position, mid);
            }

            arrivalIndex++;
        }
    }

    private sealed record PartialMessage(bool KeepAlive, bool ExpectContinue, bool IsUpgrade)
    {
        public Http1RequestHead RequestHead { get; init; }

        public Http1ResponseHead ResponseHead { get; init; }

        public ParsedMessage Finish(RecordingHandler head, RecordingHandler trailers, List<byte> body, bool complete) => new(
            head.StartLine,
            Describe(head),
            RequestHead.Framing.Kind != Http1BodyKind.None ? RequestHead.Framing : ResponseHead.Framing,
            KeepAlive,
            ExpectContinue,
            IsUpgrade,
            Encoding.Latin1.GetString(body.ToArray()),
            Describe(trailers),
            complete)
        {
            RequestHead = RequestHead,
            ResponseHead = ResponseHead,
        };

        private static string Describe(RecordingHandler handler) =>
            string.Join("|", handler.Fields.Select(f => $"{f.Name}={f.Value}"));
    }
}
