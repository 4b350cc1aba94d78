using System.Buffers;
using MeshEdge.Codecs.Http2;
using MeshEdge.Codecs.Http2.Connection;

namespace MeshEdge.Fuzz;

/// <summary>
/// The input as what a client sends to our server role (the preface and an empty SETTINGS are put in
/// front unless it starts with "PRI"), fed in pieces whose size the first byte picks. The handler
/// answers every request, sends bodies, releases what it reads and resets now and then, so the send
/// side and the windows are driven too. Checks: nothing throws, the connection takes no more than it
/// was given, streams and queued frames stay within their caps, a closed connection's last frame is
/// its GOAWAY, and every pooled array comes back.
/// </summary>
internal static class Http2SessionTarget
{
    private static readonly Http2ConnectionOptions Options = new() { MaxConcurrentStreams = 16, MaxQueuedControlFrames = 128, PrematureResetMinStreams = 32 };

    public static void Run(ReadOnlySpan<byte> input)
    {
        var pool = new CountingPool();
        var output = new ArrayBufferWriter<byte>();
        using (var connection = new Http2Connection(Http2ConnectionRole.Server, Options, pool))
        {
            connection.Start(output);
            byte[] prefix = input.StartsWith("PRI"u8) ? [] : [.. "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8, 0, 0, 0, 4, 0, 0, 0, 0, 0];
            byte[] bytes = [.. prefix, .. input];
            var piece = 1 + (input.IsEmpty ? 0 : input[0] % 64);
            Feed(connection, output, bytes, piece);
        }

        Invariant.Holds(pool.Outstanding == 0, "every pooled array is returned");
    }

    private static void Feed(Http2Connection connection, ArrayBufferWriter<byte> output, byte[] bytes, int piece)
    {
        var handler = new AnsweringHandler(connection, output);
        var start = 0;
        var end = 0;
        while (end < bytes.Length && connection.State != Http2ConnectionState.Closed)
        {
            end = Math.Min(bytes.Length, end + piece);
            var taken = connection.Receive(bytes.AsSpan(start, end - start), ref handler);
            Invariant.Holds(taken >= 0 && taken <= end - start, "takes no more than it was given");
            start += taken;
            Invariant.Holds(connection.ActiveStreams <= Options.MaxConcurrentStreams, "streams within the limit");
            Invariant.Holds(connection.QueuedControlFrames <= Options.MaxQueuedControlFrames, "queued frames within the cap");
            if (handler.Calls % 3 == 0)
            {
                // Appended, not cleared: the inputs are small, and the end checks the last frame written.
                connection.Flush(output);
            }
        }

        if (connection.State == Http2ConnectionState.Closed)
        {
            connection.Flush(output);
            var written = output.WrittenSpan;
            Invariant.Holds(written.Length >= 17, "a closed connection queued its GOAWAY");
            var last = written[^17..];
            Invariant.Holds(last[3] == (byte)Http2FrameType.GoAway && connection.CloseError.IsConnectionError, "the last frame is the GOAWAY of a connection error");
        }
    }

    /// <summary>Answers like a busy session: responds, streams a body, releases what it read, resets now and then.</summary>
    private struct AnsweringHandler(Http2Connection connection, ArrayBufferWriter<byte> output) : IHttp2ConnectionHandler
    {
        private static readonly byte[] Body = new byte[20_000];

        public int Calls;

        public void OnHeaders(uint streamId, Http2HeadersKind kind, in Http2HeaderFields fields, bool endStream)
        {
            Calls++;
            Invariant.Holds(kind is Http2HeadersKind.Request or Http2HeadersKind.Trailers, "a server hears requests and trailers");
            Invariant.Holds(kind != Http2HeadersKind.Request || !fields.Method.IsEmpty, "a request has :method");
            if (kind == Http2HeadersKind.Request && (streamId % 7) != 0)
            {
                connection.AddHeader(":status"u8, "200"u8);
                if (connection.SendHeaders(streamId, endStream: false, output))
                {
                    connection.SendData(streamId, Body.AsSpan(0, (int)(streamId * 997 % 20_000)), endStream: streamId % 3 == 0, output);
                }
            }
            else if (streamId % 5 == 0)
            {
                connection.ResetStream(streamId, Http2ErrorCode.Cancel);
            }
        }

        public void OnData(uint streamId, ReadOnlySpan<byte> data, bool endStream)
        {
            Calls++;
            if (Calls % 2 == 0)
            {
                connection.ReleaseReceived(streamId, data.Length);
            }
        }

        public void OnStreamReset(in Http2StreamReset reset) => Calls++;

        public void OnGoAway(uint lastStreamId, Http2ErrorCode code, ReadOnlySpan<byte> debugData) => Calls++;

        public void OnWindowOpened(uint streamId)
        {
            Calls++;
            connection.SendData(streamId, Body.AsSpan(0, 100), endStream: true, output);
        }
    }
}
