using MeshEdge.Codecs.Http2;

namespace MeshEdge.Codecs.Tests.Http2;

/// <summary>Frames written byte by byte, independent of <see cref="Http2FrameWriter"/>, for the error cases.</summary>
internal static class RawFrames
{
    public static byte[] Frame(Http2FrameType type, byte flags, uint streamId, params byte[] payload) =>
        Frame((byte)type, flags, streamId, payload);

    public static byte[] Frame(byte type, byte flags, uint streamId, byte[] payload) =>
    [
        (byte)(payload.Length >> 16), (byte)(payload.Length >> 8), (byte)payload.Length,
        type, flags,
        (byte)(streamId >> 24), (byte)(streamId >> 16), (byte)(streamId >> 8), (byte)streamId,
        .. payload,
    ];

    public static byte[] Settings(params (ushort Id, uint Value)[] entries) =>
        Frame(Http2FrameType.Settings, 0, 0, [.. entries.SelectMany(e => (byte[])[(byte)(e.Id >> 8), (byte)e.Id, .. U32(e.Value)])]);

    public static byte[] U32(uint value) => [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];

    /// <summary>A reader past the connection's first SETTINGS, the state most tests want.</summary>
    public static Http2FrameReader ReaderAfterSettings(int maxFrameSize = Http2Constants.DefaultMaxFrameSize) =>
        new(maxFrameSize, expectSettingsFirst: false);
}
