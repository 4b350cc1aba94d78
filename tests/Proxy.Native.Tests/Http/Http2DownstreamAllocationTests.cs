using System.Buffers;
using System.Net.Sockets;
using MeshEdge.Codecs.Http2;
using MeshEdge.Codecs.Http2.Connection;
using MeshEdge.Native.Tests.Runtime;
using Xunit.Abstractions;

namespace MeshEdge.Native.Tests.Http;

/// <summary>
/// The HTTP/2 downstream session's promise: streams, their exchanges and head storage are pooled per
/// worker, so requests over an h2c connection (prior knowledge, through the same HTTP listener as
/// HTTP/1.1) allocate nothing on the worker thread in the steady state. The client is our own
/// connection layer in the client role; per round, two streams at once: a Content-Length response
/// and a chunked one whose trailer comes down as trailing HEADERS (the client said te: trailers).
/// </summary>
public sealed class Http2DownstreamAllocationTests(ITestOutputHelper output)
{
    private const int WarmUpRounds = 200;
    private const int RoundsPerWindow = 500;

    /// <summary>As for HTTP/1.1: a timer tick or two, far below one object per request.</summary>
    // 16 KiB: one-off growth, not per request (8,288 bytes were seen in about one full-suite run in
    // three, when the heads still rented from ArrayPool.Shared; a new peak of heads now adds a few
    // arrays to the worker's HeaderStoragePool once); a per-request object (24 bytes or more) over
    // a window's requests still exceeds it.
    private const long FixedAllowanceBytes = 16 * 1024;

    [Fact]
    public void Streams_in_steady_state_allocate_nothing_per_request()
    {
        using var upstream = new KeepAliveHttpUpstream();
        using var proxy = new HttpWorkerHarness(upstream.EndPoint);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Connect(proxy.Address);
        using var client = new Client(socket);

        var allocation = SteadyStateAllocation.Measure(proxy.WorkerAllocatedBytes, WarmUpRounds, RoundsPerWindow, client.Round);
        var requests = RoundsPerWindow * 2;
        output.WriteLine($"worker thread allocated {allocation}, {requests} h2 requests each");
        var stats = proxy.ListenerStats();
        var rounds = SteadyStateAllocation.TotalRounds(WarmUpRounds, RoundsPerWindow);
        Assert.Equal(rounds * 2, stats.Http2Requests);
        Assert.Equal(1, stats.Http2ConnectionsTotal);
        Assert.Equal(rounds * 2, client.Completed);
        Assert.Equal(rounds, client.Trailers);
        Assert.True(
            allocation.Least <= FixedAllowanceBytes,
            $"the worker allocated {allocation}, {requests} h2 requests each ({(double)allocation.Least / requests:0.#} per request in the cleanest); " +
            "the steady state should allocate nothing per request");
    }

    /// <summary>A blocking h2c client over our connection layer.</summary>
    private sealed class Client : IDisposable
    {
        private readonly Socket _socket;
        private readonly Http2Connection _h2 = new(Http2ConnectionRole.Client);
        private readonly ArrayBufferWriter<byte> _output = new();
        private readonly byte[] _input = new byte[256 * 1024];
        private int _buffered;

        public Client(Socket socket)
        {
            _socket = socket;
            _h2.Start(_output);
            Send();
        }

        public int Completed { get; set; }

        public int Trailers { get; set; }

        public void Round()
        {
            var target = Completed + 2;
            Request("/length", trailers: false);
            Request("/chunked", trailers: true);
            Send();
            while (Completed < target)
            {
                var read = _socket.Receive(_input, _buffered, _input.Length - _buffered, SocketFlags.None);
                Assert.True(read > 0, "the proxy closed the connection");
                _buffered += read;
                var events = new Events(this);
                var taken = _h2.Receive(_input.AsSpan(0, _buffered), ref events);
                Assert.NotEqual(Http2ConnectionState.Closed, _h2.State);
                _input.AsSpan(taken, _buffered - taken).CopyTo(_input);
                _buffered -= taken;
                _h2.Flush(_output);
                Send();
            }
        }

        public void Release(uint streamId, int count) => _h2.ReleaseReceived(streamId, count);

        public void Dispose() => _h2.Dispose();

        private void Request(string path, bool trailers)
        {
            Assert.True(_h2.TryOpenStream(out var id));
            _h2.AddHeader(":method"u8, "GET"u8);
            _h2.AddHeader(":scheme"u8, "http"u8);
            _h2.AddHeader(":authority"u8, "test"u8);
            _h2.AddHeader(":path"u8, System.Text.Encoding.ASCII.GetBytes(path));
            if (trailers)
            {
                _h2.AddHeader("te"u8, "trailers"u8);
            }

            Assert.True(_h2.SendHeaders(id, endStream: true, _output));
        }

        private void Send()
        {
            if (_output.WrittenCount > 0)
            {
                _socket.Send(_output.WrittenSpan);
                _output.ResetWrittenCount();
            }
        }
    }

    private readonly struct Events(Client client) : IHttp2ConnectionHandler
    {
        public void OnHeaders(uint streamId, Http2HeadersKind kind, in Http2HeaderFields fields, bool endStream)
        {
            if (kind == Http2HeadersKind.Trailers && fields.TryGet("x-checksum"u8, out _))
            {
                client.Trailers++;
            }

            if (endStream)
            {
                client.Completed++;
            }
        }

        public void OnData(uint streamId, ReadOnlySpan<byte> data, bool endStream)
        {
            client.Release(streamId, data.Length);
            if (endStream)
            {
                client.Completed++;
            }
        }

        public void OnStreamReset(in Http2StreamReset reset) => Assert.Fail($"stream {reset.StreamId} reset with {reset.Code}");

        public void OnGoAway(uint lastStreamId, Http2ErrorCode code, ReadOnlySpan<byte> debugData) => Assert.Fail($"GOAWAY {code}");

        public void OnWindowOpened(uint streamId)
        {
        }
    }
}
