using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Text.Json;
using MeshEdge.Codecs.Http2;
using MeshEdge.Codecs.Http2.Connection;

namespace MeshEdge.Codecs.Tests.Http2.Connection.Interop;

/// <summary>
/// Our server role against another implementation: python3-h2 (Debian's package, installed by
/// `make http-peers`) as the client, through a byte pipe (no sockets). A GET with a response larger
/// than the client's window, a POST with a body larger than ours, a request with trailers.
/// </summary>
public class PythonH2InteropTests
{
    private const string Python = "/usr/bin/python3";

    [Fact]
    public void Python_h2_client_gets_every_response_through_our_server_role()
    {
        Assert.True(File.Exists(Python) && Process.Start(new ProcessStartInfo(Python, "-c \"import h2\"") { RedirectStandardError = true })!.WaitForExit(30_000),
            "python3-h2 is missing: run `make http-peers` (scripts/ensure-packages.sh python3-h2)");
        var script = Path.Combine(AppContext.BaseDirectory, "Http2", "Connection", "Interop", "h2_client.py");
        using var process = Process.Start(new ProcessStartInfo(Python, script)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var stderr = process.StandardError.ReadToEndAsync();

        using var connection = new Http2Connection(Http2ConnectionRole.Server);
        var output = new ArrayBufferWriter<byte>();
        var server = new AnsweringServer(connection, output);
        connection.Start(output);
        var input = new List<byte>();
        var clientOut = process.StandardOutput.BaseStream;
        var clientIn = process.StandardInput.BaseStream;
        var header = new byte[4];
        while (true)
        {
            if (clientOut.ReadAtLeast(header, 4, throwOnEndOfStream: false) < 4)
            {
                break;
            }

            var message = new byte[BinaryPrimitives.ReadInt32BigEndian(header)];
            clientOut.ReadExactly(message);
            input.AddRange(message);
            var taken = connection.Receive(input.ToArray(), ref server);
            input.RemoveRange(0, taken);
            server.SendPending();
            connection.Flush(output);
            BinaryPrimitives.WriteInt32BigEndian(header, output.WrittenCount);
            try
            {
                clientIn.Write(header);
                clientIn.Write(output.WrittenSpan);
                clientIn.Flush();
            }
            catch (IOException)
            {
                break;
            }

            output.ResetWrittenCount();
        }

        Assert.True(process.WaitForExit(60_000));
        var seen = JsonDocument.Parse(stderr.Result).RootElement;
        Assert.False(seen.TryGetProperty("errors", out var errors), errors.ToString());
        Assert.Equal("200", seen.GetProperty("1").GetProperty("headers").GetProperty(":status").GetString());
        Assert.Equal(AnsweringServer.BigBody, seen.GetProperty("1").GetProperty("body").GetInt32());
        Assert.Equal("100000", seen.GetProperty("3").GetProperty("headers").GetProperty("x-received").GetString());
        Assert.Equal("3", seen.GetProperty("5").GetProperty("headers").GetProperty("x-received").GetString());
        Assert.Equal("t1", seen.GetProperty("5").GetProperty("headers").GetProperty("x-trailer-seen").GetString());
        Assert.Equal("0", seen.GetProperty("5").GetProperty("trailers").GetProperty("grpc-status").GetString());
        foreach (var stream in new[] { "1", "3", "5" })
        {
            Assert.True(seen.GetProperty(stream).TryGetProperty("ended", out var ended) && ended.GetBoolean(), $"stream {stream} ended: {seen}");
        }

        Assert.Equal(3, connection.Counters.StreamsClosed);
        Assert.Equal(0, connection.Counters.StreamErrors + connection.Counters.ConnectionErrors);
    }

    /// <summary>Answers each request once its body is in: the bytes received, the trailer it saw, a large body for /big.</summary>
    private struct AnsweringServer(Http2Connection connection, ArrayBufferWriter<byte> output) : IHttp2ConnectionHandler
    {
        public const int BigBody = 200_000;

        private readonly Dictionary<uint, (string Path, int Received, string Trailer)> _requests = [];
        private readonly Dictionary<uint, int> _bodyLeft = [];

        public readonly void OnHeaders(uint streamId, Http2HeadersKind kind, in Http2HeaderFields fields, bool endStream)
        {
            if (kind == Http2HeadersKind.Request)
            {
                _requests[streamId] = (System.Text.Encoding.ASCII.GetString(fields.Path), 0, "");
            }
            else
            {
                _requests[streamId] = _requests[streamId] with { Trailer = fields.TryGet("x-trailer"u8, out var value) ? System.Text.Encoding.ASCII.GetString(value) : "?" };
            }

            if (endStream)
            {
                Respond(streamId);
            }
        }

        public readonly void OnData(uint streamId, ReadOnlySpan<byte> data, bool endStream)
        {
            _requests[streamId] = _requests[streamId] with { Received = _requests[streamId].Received + data.Length };
            connection.ReleaseReceived(streamId, data.Length);
            if (endStream)
            {
                Respond(streamId);
            }
        }

        public readonly void OnStreamReset(in Http2StreamReset reset) => throw new InvalidOperationException(reset.ToString());

        public readonly void OnGoAway(uint lastStreamId, Http2ErrorCode code, ReadOnlySpan<byte> debugData)
        {
        }

        public readonly void OnWindowOpened(uint streamId) => SendPending();

        public readonly void SendPending()
        {
            foreach (var (id, left) in _bodyLeft.ToArray())
            {
                var sent = connection.SendData(id, new byte[left], endStream: true, output);
                if (sent >= 0)
                {
                    _bodyLeft[id] = left - sent;
                }

                if (sent < 0 || left - sent == 0)
                {
                    _bodyLeft.Remove(id);
                }
            }
        }

        private readonly void Respond(uint streamId)
        {
            var request = _requests[streamId];
            connection.AddHeader(":status"u8, "200"u8);
            connection.AddHeader("x-received"u8, System.Text.Encoding.ASCII.GetBytes(request.Received.ToString()));
            connection.AddHeader("x-trailer-seen"u8, System.Text.Encoding.ASCII.GetBytes(request.Trailer));
            if (request.Path == "/grpc")
            {
                connection.SendHeaders(streamId, endStream: false, output);
                connection.SendData(streamId, "ok"u8, endStream: false, output);
                connection.AddHeader("grpc-status"u8, "0"u8);
                connection.SendHeaders(streamId, endStream: true, output);
                return;
            }

            connection.SendHeaders(streamId, endStream: request.Path != "/big", output);
            if (request.Path == "/big")
            {
                _bodyLeft[streamId] = BigBody;
                SendPending();
            }
        }
    }
}
