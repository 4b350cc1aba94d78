using MeshEdge.Codecs.Http2;

namespace MeshEdge.Codecs.Tests.Http2.Connection.TestSupport;

/// <summary>
/// Frames and field blocks written by hand for the connection tests. Field blocks use HPACK literals
/// without indexing and without Huffman (RFC 7541 §6.2.2), so a block's bytes are plain to read and
/// the peer's table never changes.
/// </summary>
internal static class H2
{
    public static byte[] Preface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();

    public static byte[] Settings(params (Http2SettingId Id, uint Value)[] entries) =>
        RawFrames.Settings([.. entries.Select(e => ((ushort)e.Id, e.Value))]);

    public static byte[] SettingsAck => RawFrames.Frame(Http2FrameType.Settings, Http2FrameFlags.Ack, 0);

    /// <summary>Preface, empty SETTINGS and the ACK of the server's: a client past the handshake.</summary>
    public static byte[] ClientStart => [.. Preface, .. Settings(), .. SettingsAck];

    public static byte[] Literal(string name, string value) =>
        [0x00, .. Length(name.Length), .. System.Text.Encoding.Latin1.GetBytes(name), .. Length(value.Length), .. System.Text.Encoding.Latin1.GetBytes(value)];

    public static byte[] Block(params (string Name, string Value)[] fields) => [.. fields.SelectMany(f => Literal(f.Name, f.Value))];

    public static (string, string)[] Get(string path = "/") => [(":method", "GET"), (":scheme", "http"), (":authority", "example.com"), (":path", path)];

    public static (string, string)[] Post(string path = "/", int? contentLength = null) =>
        [(":method", "POST"), (":scheme", "http"), (":authority", "example.com"), (":path", path), .. contentLength is { } length ? [("content-length", length.ToString())] : Array.Empty<(string, string)>()];

    public static byte[] Headers(uint streamId, byte[] block, bool endStream = true, bool endHeaders = true) =>
        RawFrames.Frame(Http2FrameType.Headers, (byte)((endStream ? Http2FrameFlags.EndStream : 0) | (endHeaders ? Http2FrameFlags.EndHeaders : 0)), streamId, block);

    public static byte[] Request(uint streamId, bool endStream = true) => Headers(streamId, Block(Get()), endStream);

    public static byte[] Continuation(uint streamId, byte[] fragment, bool endHeaders) =>
        RawFrames.Frame(Http2FrameType.Continuation, endHeaders ? Http2FrameFlags.EndHeaders : (byte)0, streamId, fragment);

    public static byte[] Data(uint streamId, string text, bool endStream = false) => Data(streamId, System.Text.Encoding.Latin1.GetBytes(text), endStream);

    public static byte[] Data(uint streamId, byte[] data, bool endStream = false) =>
        RawFrames.Frame(Http2FrameType.Data, endStream ? Http2FrameFlags.EndStream : (byte)0, streamId, data);

    public static byte[] RstStream(uint streamId, Http2ErrorCode code) => RawFrames.Frame(Http2FrameType.RstStream, 0, streamId, RawFrames.U32((uint)code));

    public static byte[] WindowUpdate(uint streamId, uint increment) => RawFrames.Frame(Http2FrameType.WindowUpdate, 0, streamId, RawFrames.U32(increment));

    public static byte[] Ping(byte seed = 1) => RawFrames.Frame(Http2FrameType.Ping, 0, 0, [seed, 2, 3, 4, 5, 6, 7, 8]);

    public static byte[] Priority(uint streamId, uint dependsOn) => RawFrames.Frame(Http2FrameType.Priority, 0, streamId, [.. RawFrames.U32(dependsOn), 16]);

    public static byte[] GoAway(uint lastStreamId, Http2ErrorCode code) =>
        RawFrames.Frame(Http2FrameType.GoAway, 0, 0, [.. RawFrames.U32(lastStreamId), .. RawFrames.U32((uint)code)]);

    private static byte[] Length(int length) => length < 127 ? [(byte)length] : [127, .. Continue(length - 127)];

    private static byte[] Continue(int rest)
    {
        var bytes = new List<byte>();
        while (rest >= 128)
        {
            bytes.Add((byte)((rest & 0x7F) | 0x80));
            rest >>= 7;
        }

        bytes.Add((byte)rest);
        return [.. bytes];
    }
}
