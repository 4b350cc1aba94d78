using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Http2Upstream;

/// <summary>
/// The h2 pool's PING keepalive (<c>[clusters.http2] keepalive_interval / keepalive_timeout</c>): an
/// upstream connection that stops answering (no PING ACK, no byte at all) is closed by the proxy,
/// and the next request goes on a new connection; one that answers its PINGs stays.
/// </summary>
public sealed class PingKeepaliveTests(ITestOutputHelper output) : IAsyncLifetime
{
    // Connection 1 answers its first request, then falls silent: it reads on but writes nothing more
    // (its PING ACKs included) and never closes. Later connections answer requests and PINGs. It prints
    // PING for every PING it reads and CLOSED when the proxy ends a connection.
    private const string Script = """
        from h2upstream import H2Upstream, serve, h2

        class FallsSilent(H2Upstream):
            silent = False

            def on_event(self, event):
                if isinstance(event, h2.events.PingReceived):
                    print("PING", self.number, "silent" if self.silent else "answered", flush=True)
                elif isinstance(event, h2.events.StreamEnded) and not self.silent:
                    self.respond(event.stream_id, b"connection %d stream %d\n" % (self.number, event.stream_id))
                    self.flush()
                    self.silent = self.number == 1

            def flush(self):
                # h2 queues the PING ACK itself: a silent connection drops it with everything else.
                output = self.h2.data_to_send()
                if not self.silent:
                    self.transport.write(output)

        serve(FallsSilent)
        """;

    // A dead connection is closed about interval + timeout (6 s) after its last answer; the bound is
    // three times that for a loaded machine, and short enough that no other timeout can stand in for it.
    private static readonly TimeSpan CloseDeadline = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private PythonUpstream _server = null!;
    private ProxyProcess _proxy = null!;

    public async Task InitializeAsync()
    {
        _server = await PythonUpstream.StartAsync("the keepalive server", Script);

        // A PING every second; the timeout is long enough for a loaded machine's python to answer.
        const string http2 = "protocol = \"h2c\"\n[clusters.http2]\nkeepalive_interval = \"1s\"\nkeepalive_timeout = \"5s\"";
        _proxy = await ProxyProcess.StartTomlAsync(HttpToml.Config(HttpToml.CatchAll(), HttpToml.Cluster("app", [_server.EndPoint], http2)), output);
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        output.WriteLine(_server.Describe());
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_connection_that_stops_answering_pings_is_closed_and_the_next_request_takes_a_new_one()
    {
        var url = $"http://{_proxy.ListenerAddress()}/any";
        await AssertServedByAsync(url, "connection 1 ");

        // Connection 1 is silent now: the proxy's PINGs go unanswered, and it closes the connection.
        Assert.True(
            await Progress.WaitUntilAsync(() => _server.CountLinesStarting("CLOSED 1") == 1, CloseDeadline),
            $"the proxy did not close the connection that stopped answering its PINGs within {CloseDeadline.TotalSeconds}s\n{_server.Describe()}");
        Assert.True(_server.CountLinesStarting("PING 1 silent") >= 1, _server.Describe());

        await AssertServedByAsync(url, "connection 2 ");

        // Connection 2 answers: several PINGs later it is still the one in use.
        Assert.True(
            await Progress.WaitUntilAsync(() => _server.CountLinesStarting("PING 2 answered") >= 3, Deadline),
            $"fewer than three PINGs on the answering connection within {Deadline.TotalSeconds}s\n{_server.Describe()}");
        await AssertServedByAsync(url, "connection 2 ");
        Assert.True(_server.CountLinesStarting("CLOSED 2") == 0, _server.Describe());

        await _proxy.StopCleanlyAsync();
        var http2 = _proxy.FindLog("cluster http2 stats") ?? throw new Xunit.Sdk.XunitException("no \"cluster http2 stats\" line at exit\n" + _proxy.Describe());
        output.WriteLine(http2.ToString());
        Assert.Equal(1, http2.RequireLong("keepalive_timeout"));
        Assert.Equal(2, http2.RequireLong("upstream_cx_http2_total"));
    }

    private async Task AssertServedByAsync(string url, string connection)
    {
        var curl = await ToolRun.CurlAsync("-f", url);
        Assert.True(curl.ExitCode == 0, curl + "\n" + _server.Describe());
        Assert.StartsWith(connection, curl.Stdout, StringComparison.Ordinal);
    }
}
