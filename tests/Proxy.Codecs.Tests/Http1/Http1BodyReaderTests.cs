using MeshEdge.Codecs.Http1;
using MeshEdge.Codecs.Tests.Http1.TestSupport;

namespace MeshEdge.Codecs.Tests.Http1;

public class Http1BodyReaderTests
{
    private static readonly Http1ParserLimits Limits = Http1ParserLimits.Default;

    [Fact]
    public void Content_length_streams_what_is_there_and_stops_at_the_end()
    {
        var reader = new Http1BodyReader(Http1BodyFraming.Length(10), Limits);
        var trailers = new RecordingHandler();

        var first = reader.Read(ref trailers, SegmentedSequence.Create("abcd"u8.ToArray()));
        var second = reader.Read(ref trailers, SegmentedSequence.Create("efghijGET / HTTP/1.1"u8.ToArray()));

        Assert.Equal((Http1BodyStepKind.Data, 4L, 0L, 4L), (first.Kind, first.Consumed, first.DataOffset, first.DataLength));
        Assert.Equal((Http1BodyStepKind.Complete, 6L, 0L, 6L), (second.Kind, second.Consumed, second.DataOffset, second.DataLength));
        Assert.True(reader.IsComplete);
    }

    [Fact]
    public void No_body_is_complete_at_once()
    {
        var reader = new Http1BodyReader(Http1BodyFraming.Length(0), Limits);
        var trailers = new RecordingHandler();

        Assert.True(reader.IsComplete);
        Assert.Equal(Http1BodyStepKind.Complete, reader.Read(ref trailers, SegmentedSequence.Create("next"u8.ToArray())).Kind);
    }

    [Fact]
    public void Chunked_steps_give_framing_and_data_separately()
    {
        var reader = new Http1BodyReader(Http1BodyFraming.Chunked, Limits);
        var trailers = new RecordingHandler();
        var input = "3;ext\r\nabc\r\n0\r\nX: y\r\n\r\nrest"u8.ToArray();

        var data = reader.Read(ref trailers, SegmentedSequence.Create(input));
        Assert.Equal((Http1BodyStepKind.Data, 10L, 7L, 3L), (data.Kind, data.Consumed, data.DataOffset, data.DataLength));
        Assert.Equal(0, reader.Remaining);

        var end = reader.Read(ref trailers, SegmentedSequence.Create(input[10..]));
        Assert.Equal(Http1BodyStepKind.Complete, end.Kind);
        Assert.Equal("\r\n0\r\nX: y\r\n\r\n".Length, end.Consumed);
        Assert.Equal([(Http1KnownHeader.Unknown, "X", "y")], trailers.Fields);
    }

    [Fact]
    public void A_chunk_larger_than_the_input_is_streamed_in_pieces()
    {
        var reader = new Http1BodyReader(Http1BodyFraming.Chunked, Limits);
        var trailers = new RecordingHandler();

        var first = reader.Read(ref trailers, SegmentedSequence.Create("100\r\nab"u8.ToArray()));
        Assert.Equal((Http1BodyStepKind.Data, 7L, 5L, 2L), (first.Kind, first.Consumed, first.DataOffset, first.DataLength));
        Assert.Equal(0x100 - 2, reader.Remaining);

        var sizeOnly = new Http1BodyReader(Http1BodyFraming.Chunked, Limits);
        var waiting = sizeOnly.Read(ref trailers, SegmentedSequence.Create("100\r\n"u8.ToArray()));
        Assert.Equal((Http1BodyStepKind.NeedMoreData, 5L), (waiting.Kind, waiting.Consumed));
    }

    [Fact]
    public void Upper_case_hex_leading_zeros_and_trailing_whitespace_are_fine()
    {
        var message = Http1Driver.Requests("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0000A \r\n0123456789\r\n0\r\n\r\n").Single;

        Assert.Equal("0123456789", message.Body);
    }

    [Fact]
    public void Until_close_takes_everything()
    {
        var reader = new Http1BodyReader(Http1BodyFraming.UntilClose, Limits);
        var trailers = new RecordingHandler();

        Assert.Equal(Http1BodyStepKind.NeedMoreData, reader.Read(ref trailers, SegmentedSequence.Create([])).Kind);
        var step = reader.Read(ref trailers, SegmentedSequence.Create("anything"u8.ToArray(), 3));
        Assert.Equal((Http1BodyStepKind.Data, 8L), (step.Kind, step.DataLength));
        Assert.False(reader.IsComplete);
    }
}
