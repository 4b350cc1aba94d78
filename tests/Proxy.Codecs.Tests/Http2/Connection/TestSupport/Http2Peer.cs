using System.Buffers;
using System.Text;
using MeshEdge.Codecs.Http2;
using MeshEdge.Codecs.Http2.Connection;
using MeshEdge.Codecs.Http2.Hpack;

namespace MeshEdge.Codecs.Tests.Http2.Connection.TestSupport;

/// <summary>
/// One connection under test and the view from its peer: bytes fed in, events recorded, and every
/// frame it writes (sent directly or queued and flushed) read back with the codec's frame reader.
/// </summary>
internal sealed class Http2Peer : IDisposable
{
    private readonly ArrayBufferWriter<byte> _output = new();
    private readonly HpackDecoder _decoder = new(HpackDecoderLimits.Default);
    private RecordingHandler _handler;

    public Http2Peer(Http2ConnectionRole role, Http2ConnectionOptions? options = null, Func<long>? clock = null, Action<Http2Peer, uint, int, bool>? onData = null)
    {
        Connection = new Http2Connection(role, options, clock: clock);
        _handler = new RecordingHandler { OnDataSeen = onData is null ? null : (id, n, es) => onData(this, id, n, es) };
        Connection.Start(_output);
    }

    public Http2Connection Connection { get; }

    public ArrayBufferWriter<byte> Output => _output;

    public List<string> Events => _handler.Events;

    /// <summary>A server past the handshake, with the frames it wrote so far taken away.</summary>
    public static Http2Peer Server(Http2ConnectionOptions? options = null, Func<long>? clock = null, Action<Http2Peer, uint, int, bool>? onData = null)
    {
        var peer = new Http2Peer(Http2ConnectionRole.Server, options, clock, onData);
        peer.Feed(H2.ClientStart);
        peer.TakeFrames();
        return peer;
    }

    /// <summary>Feeds bytes; returns how many the connection took.</summary>
    public int Feed(params byte[][] chunks)
    {
        byte[] input = [.. chunks.SelectMany(c => c)];
        return Connection.Receive(input, ref _handler);
    }

    /// <summary>Flushes the control queue and reads back everything written since the last call.</summary>
    public List<SentFrame> TakeFrames()
    {
        Connection.Flush(_output);
        var frames = new List<SentFrame>();
        var bytes = _output.WrittenSpan;
        if (bytes.StartsWith(H2.Preface))
        {
            bytes = bytes[H2.Preface.Length..];
        }

        while (bytes.Length >= 9)
        {
            var header = Http2FrameHeader.Read(bytes);
            frames.Add(new SentFrame(header.Type, header.Flags, header.StreamId, bytes.Slice(9, header.Length).ToArray()));
            bytes = bytes[header.FrameLength..];
        }

        _output.Clear();
        return frames;
    }

    /// <summary>The frames as their one-line descriptions, for exact comparisons.</summary>
    public List<string> TakeFrameNames() => [.. TakeFrames().Select(f => f.ToString())];

    /// <summary>Decodes a HEADERS payload we sent (no padding or priority) as "name=value" pairs.</summary>
    public List<string> DecodeSent(SentFrame frame)
    {
        var handler = new Hpack.CollectingHandler();
        var result = _decoder.Decode(frame.Payload, ref handler);
        Assert.Equal(HpackDecodeStatus.Complete, result.Status);
        return handler.Fields;
    }

    public void Dispose()
    {
        Connection.Dispose();
        _decoder.Dispose();
    }

    public static string Text(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);
}
