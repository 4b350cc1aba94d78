using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Http2Upstream;

/// <summary>
/// The h2 pool's GOAWAY guard: once the upstream said GOAWAY(last_stream_id = N), no new stream goes
/// on that connection, and the streams above N (never processed) are retried on another one. The
/// upstream keeps the connection open after its GOAWAY and reports any stream that still arrives on
/// it; the pool's own tally (streams_unprocessed) shows a stream leased there and refused by the codec,
/// which the retry would otherwise hide.
/// </summary>
public sealed class GoAwayGuardTests(ITestOutputHelper output) : IAsyncLifetime
{
    // Connection 1 holds its first three streams, answers the lowest, then GOAWAY(last = that one)
    // and stays open, printing LATE for every stream opened on it afterwards. Later connections answer
    // at once. Every body names its connection and stream.
    private const string Script = """
        import sys
        from h2upstream import H2Upstream, serve, h2

        HOLD = int(sys.argv[2])

        class GuardChecker(H2Upstream):
            def connection_made(self, transport):
                self.held = []
                self.gone_away = False
                super().connection_made(transport)

            def on_event(self, event):
                if isinstance(event, h2.events.RequestReceived):
                    print("STREAM", self.number, event.stream_id, flush=True)
                    if self.gone_away:
                        print("LATE", self.number, event.stream_id, flush=True)
                elif isinstance(event, h2.events.StreamEnded) and not self.gone_away:
                    if self.number > 1:
                        self.respond(event.stream_id, b"connection %d stream %d\n" % (self.number, event.stream_id))
                        return
                    self.held.append(event.stream_id)
                    if len(self.held) == HOLD:
                        first = min(self.held)
                        self.respond(first, b"connection %d stream %d\n" % (self.number, first))
                        self.h2.close_connection(last_stream_id=first)
                        self.gone_away = True
                        print("GOAWAY", self.number, first, flush=True)

        serve(GuardChecker)
        """;

    private const int Held = 3;

    private PythonUpstream _server = null!;
    private ProxyProcess _proxy = null!;

    public async Task InitializeAsync()
    {
        _server = await PythonUpstream.StartAsync("the GOAWAY-guard server", Script, $"{Held}");
        _proxy = await ProxyProcess.StartTomlAsync(HttpToml.Config(HttpToml.CatchAll(), HttpToml.Cluster("app", [_server.EndPoint], "protocol = \"h2c\"")), output);
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        output.WriteLine(_server.Describe());
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task After_goaway_no_stream_opens_on_that_connection_and_the_streams_above_its_last_id_are_retried_on_another()
    {
        // Three at once on one worker: they share the first connection (streams 1, 3 and 5), which the
        // upstream holds until all three are in, then answers stream 1 and goes away with last id 1.
        var url = $"http://{_proxy.ListenerAddress()}/any";
        var first = await Task.WhenAll(Enumerable.Range(0, Held).Select(_ => ToolRun.CurlAsync("-f", url)));
        foreach (var curl in first)
        {
            Assert.True(curl.ExitCode == 0, curl + "\n" + _server.Describe());
        }

        var bodies = first.Select(curl => curl.Stdout.Trim()).Order(StringComparer.Ordinal).ToArray();
        output.WriteLine(string.Join("\n", bodies));
        Assert.Equal(1, _server.CountLinesStarting("GOAWAY 1 1"));
        Assert.Equal("connection 1 stream 1", bodies[0]);
        Assert.All(bodies[1..], body => Assert.StartsWith("connection 2 ", body, StringComparison.Ordinal));

        // Later requests go on the new connection too, never on the one that went away.
        for (var i = 0; i < 3; i++)
        {
            var curl = await ToolRun.CurlAsync("-f", url);
            Assert.True(curl.ExitCode == 0, curl + "\n" + _server.Describe());
            Assert.StartsWith("connection 2 ", curl.Stdout, StringComparison.Ordinal);
        }

        await _proxy.StopCleanlyAsync();
        var http2 = _proxy.FindLog("cluster http2 stats") ?? throw new Xunit.Sdk.XunitException("no \"cluster http2 stats\" line at exit\n" + _proxy.Describe());
        output.WriteLine(http2.ToString());
        Assert.True(_server.CountLinesStarting("LATE") == 0, "streams opened on the connection after its GOAWAY\n" + _server.Describe());

        // Exactly the two streams above the last id went unprocessed: a stream the pool put on the
        // gone-away connection (and the codec then refused) would count here as well.
        Assert.Equal(Held - 1, http2.RequireLong("streams_unprocessed"));
        Assert.Equal(1, http2.RequireLong("goaway_rx"));
        Assert.Equal(2, http2.RequireLong("upstream_cx_http2_total"));
        Assert.Equal(0, http2.RequireLong("connection_errors"));
    }
}
