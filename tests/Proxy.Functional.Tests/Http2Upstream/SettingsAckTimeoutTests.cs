using System.Diagnostics;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Http2Upstream;

/// <summary>
/// The h2 pool's SETTINGS-ack timeout (<c>[clusters.http2] settings_timeout</c>, RFC 9113 §6.5.3):
/// an upstream that never acknowledges our SETTINGS gets GOAWAY SETTINGS_TIMEOUT once the timeout
/// has passed and its connection closes; the request on it ends by the pool's failure rules: one
/// the server took fails (502, a reset: it may have been processed), one still waiting for the
/// server's own SETTINGS moves on to another host as after a failed connect.
/// </summary>
public sealed class SettingsAckTimeoutTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>
    /// A raw h2 server (no h2 library: that one always acks): "settings" sends its own empty
    /// SETTINGS and then nothing, "silent" sends nothing at all. Either reads what the client sends
    /// and prints HEADERS and GOAWAY (with the error code) per frame, and CLOSED at the end.
    /// </summary>
    private const string NeverAcks = """
        import asyncio, sys

        MODE = sys.argv[2]
        EMPTY_SETTINGS = bytes([0, 0, 0, 4, 0, 0, 0, 0, 0])

        class NeverAcks(asyncio.Protocol):
            connections = 0

            def connection_made(self, transport):
                NeverAcks.connections += 1
                self.number = NeverAcks.connections
                self.buffer = b""
                self.preface = False
                if MODE == "settings":
                    transport.write(EMPTY_SETTINGS)

            def data_received(self, data):
                self.buffer += data
                if not self.preface:
                    if len(self.buffer) < 24:
                        return
                    self.buffer, self.preface = self.buffer[24:], True
                while len(self.buffer) >= 9:
                    length = int.from_bytes(self.buffer[:3], "big")
                    if len(self.buffer) < 9 + length:
                        return
                    kind, payload = self.buffer[3], self.buffer[9:9 + length]
                    self.buffer = self.buffer[9 + length:]
                    if kind == 1:
                        print("HEADERS", self.number, flush=True)
                    elif kind == 7:
                        print("GOAWAY", self.number, int.from_bytes(payload[4:8], "big"), flush=True)

            def connection_lost(self, error):
                print("CLOSED", self.number, flush=True)

        async def main():
            server = await asyncio.get_running_loop().create_server(NeverAcks, "127.0.0.1", int(sys.argv[1]))
            print("listening", flush=True)
            async with server:
                await server.serve_forever()

        asyncio.run(main())
        """;

    /// <summary>A well-behaved h2c server that answers every request "answered".</summary>
    private const string Answers = """
        from h2upstream import H2Upstream, serve, h2

        class Answers(H2Upstream):
            def on_event(self, event):
                if isinstance(event, h2.events.StreamEnded):
                    self.respond(event.stream_id, b"answered\n")

        serve(Answers)
        """;

    private const string SettingsTimeoutCode = "4";

    private static readonly TimeSpan SettingsTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly List<IAsyncDisposable> _peers = [];
    private ProxyProcess? _proxy;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }

        foreach (var peer in _peers)
        {
            await peer.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_server_that_never_acks_our_settings_gets_goaway_settings_timeout_and_the_request_it_took_fails()
    {
        var server = await StartAsync("the server that never acks", NeverAcks, "settings");
        await StartProxyAsync(server);

        var started = Stopwatch.StartNew();
        var curl = await ToolRun.CurlAsync("-o", "/dev/null", "-w", "%{http_code}", $"http://{_proxy!.ListenerAddress()}/any");
        var elapsed = started.Elapsed;

        Assert.True(curl.Stdout == "502", $"expected 502 for the request the server took\n{curl}\n{server.Describe()}\n{_proxy.Describe()}");
        Assert.True(server.CountLinesStarting("HEADERS 1") == 1, "the request never reached the server\n" + server.Describe());
        await AssertGoAwaySettingsTimeoutAsync(server, 1);

        // Not before the timeout: a lower bound holds on any machine.
        Assert.True(elapsed >= SettingsTimeout * 0.9, $"answered after {elapsed.TotalMilliseconds} ms, before the {SettingsTimeout.TotalMilliseconds} ms timeout");
        await AssertSettingsTimeoutsCountedAsync(1);
    }

    [Fact]
    public async Task A_request_waiting_on_a_silent_server_moves_on_to_another_host()
    {
        var silent = await StartAsync("the silent server", NeverAcks, "silent");
        var answers = await StartAsync("the answering server", Answers);
        await StartProxyAsync(silent, answers);

        // One worker, round robin: of two requests, one is placed on the silent server first.
        for (var i = 0; i < 2; i++)
        {
            var curl = await ToolRun.CurlAsync("-f", $"http://{_proxy!.ListenerAddress()}/any");
            Assert.True(curl.ExitCode == 0 && curl.Stdout == "answered\n", $"request {i + 1}\n{curl}\n{silent.Describe()}\n{_proxy.Describe()}");
        }

        // Each connection to the silent server (the retry moves round robin on, so the second
        // request may meet it again) ended with GOAWAY SETTINGS_TIMEOUT, and each is counted.
        await AssertGoAwaySettingsTimeoutAsync(silent, 1);
        var silentConnections = silent.CountLinesStarting("CLOSED");
        for (var connection = 2; connection <= silentConnections; connection++)
        {
            await AssertGoAwaySettingsTimeoutAsync(silent, connection);
        }

        await AssertSettingsTimeoutsCountedAsync(silentConnections);
    }

    private async Task<PythonUpstream> StartAsync(string name, string script, params string[] arguments)
    {
        var server = await PythonUpstream.StartAsync(name, script, arguments);
        _peers.Add(server);
        return server;
    }

    private async Task StartProxyAsync(params PythonUpstream[] servers)
    {
        // The cluster's connect_timeout (5 s) is far above the settings timeout: it cannot stand in for it.
        var http2 = $"protocol = \"h2c\"\n[clusters.http2]\nsettings_timeout = \"{SettingsTimeout.TotalMilliseconds}ms\"";
        _proxy = await ProxyProcess.StartTomlAsync(HttpToml.CatchAllConfig(HttpToml.Cluster("app", servers.Select(s => s.EndPoint), http2)), output);
    }

    private static async Task AssertGoAwaySettingsTimeoutAsync(PythonUpstream server, int connection)
    {
        Assert.True(
            await Progress.WaitUntilAsync(() => server.CountLinesStarting($"CLOSED {connection}") == 1, Deadline),
            $"the proxy did not close connection {connection} within {Deadline.TotalSeconds}s\n{server.Describe()}");
        Assert.True(server.CountLinesStarting($"GOAWAY {connection} {SettingsTimeoutCode}") == 1, "no GOAWAY SETTINGS_TIMEOUT before the close\n" + server.Describe());
    }

    private async Task AssertSettingsTimeoutsCountedAsync(long expected)
    {
        await _proxy!.StopCleanlyAsync();
        var http2 = _proxy.FindLog("cluster http2 stats") ?? throw new Xunit.Sdk.XunitException("no \"cluster http2 stats\" line at exit\n" + _proxy.Describe());
        output.WriteLine(http2.ToString());
        Assert.Equal(expected, http2.RequireLong("settings_timeouts"));
    }
}
