using System.Buffers;
using System.Net;
using System.Text;
using MeshEdge.Config.AccessLog;
using MeshEdge.Native.AccessLogs;

namespace MeshEdge.Native.Tests.AccessLogs;

public sealed class RpcAccessLogWriterTests
{
    private const string DefaultFormat =
        "%START_TIME% %PROTOCOL% %RPC_SERVICE% %RPC_METHOD% %RPC_STATUS% %RESPONSE_FLAGS% %BYTES_RECEIVED% %BYTES_SENT% %DURATION% \"%DOWNSTREAM_REMOTE_ADDRESS%\" \"%UPSTREAM_HOST%\"";

    [Fact]
    public void A_finished_call_becomes_one_line()
    {
        var format = AccessLogFormat.Parse(DefaultFormat, AccessLogDialect.Rpc, out _);
        var fields = new RpcLogFields(format);
        fields.SetService("com.foo.Echo:1.0"u8);
        fields.SetMethod("echo"u8);

        var line = Write(format, fields, status: 0, flags: default, upstream: new IPEndPoint(IPAddress.Loopback, 12200));

        Assert.Equal("2026-11-25T08:00:00.0000000Z bolt com.foo.Echo:1.0 echo 0 - 180 90 12 \"127.0.0.1:40000\" \"127.0.0.1:12200\"\n", line);
    }

    [Fact]
    public void Missing_values_print_a_dash()
    {
        var format = AccessLogFormat.Parse(DefaultFormat, AccessLogDialect.Rpc, out _);
        var fields = new RpcLogFields(format);

        var line = Write(format, fields, status: -1, flags: "DC"u8, upstream: null);

        Assert.Equal("2026-11-25T08:00:00.0000000Z bolt - - - DC 180 90 12 \"127.0.0.1:40000\" \"-\"\n", line);
    }

    [Fact]
    public void Request_headers_come_from_what_was_captured_for_their_segment()
    {
        var format = AccessLogFormat.Parse("%REQ(tenant)%|%REQ(zone)%|%RPC_METHOD%", AccessLogDialect.Rpc, out _);
        var fields = new RpcLogFields(format);
        fields.SetMethod("m"u8);
        fields.SetHeader(0, "t1"u8);

        Assert.Equal("t1|-|m\n", Write(format, fields, 0, default, null));

        // Reused for the next request: nothing of the previous one shows.
        fields.Clear();
        fields.SetHeader(2, new string('z', 1000).Select(c => (byte)c).ToArray());
        Assert.Equal($"-|{new string('z', 1000)}|-\n", Write(format, fields, 0, default, null));
    }

    private static string Write(AccessLogFormat format, RpcLogFields fields, int status, ReadOnlySpan<byte> flags, IPEndPoint? upstream)
    {
        var output = new ArrayBufferWriter<byte>();
        RpcAccessLogWriter.Write(output, format, new RpcAccessLogEntry
        {
            Protocol = "bolt"u8,
            Fields = fields,
            StartUtc = new DateTime(2026, 11, 25, 8, 0, 0, DateTimeKind.Utc),
            Status = status,
            Flags = flags,
            BytesReceived = 180,
            BytesSent = 90,
            DurationMs = 12,
            UpstreamHost = upstream,
            ClientAddress = "127.0.0.1:40000"u8,
        });
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }
}
