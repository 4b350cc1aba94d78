using System.Text.Json;
using MeshEdge.Functional.Tests.Harness;

namespace MeshEdge.Functional.Tests.Http2Downstream;

/// <summary>
/// An HTTP/2 client that does what curl and nghttp cannot be told to do at a chosen moment, written
/// with python3-h2 (installed by `make http-peers`): reset a stream in the middle of its request
/// body, or stall one on an upstream that does not read, then use the same connection for another
/// request. It prints "sent" on a line of its own
/// once the body is partly out, then one JSON object. (python3-h2 takes any GOAWAY as the end of the
/// connection, so the graceful drain is watched with nghttp instead.)
/// </summary>
internal static class H2Probe
{
    private const string Script = """
        import json, socket, sys, time
        import h2.config, h2.connection, h2.events, h2.errors

        mode, port, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
        sock = socket.create_connection(("127.0.0.1", port))
        sock.settimeout(60)
        conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True, header_encoding="utf-8"))
        conn.initiate_connection()
        sock.sendall(conn.data_to_send())
        statuses, lengths, resets, ended = {}, {}, [], set()

        def pump(until):
            while not until():
                data = sock.recv(65536)
                if not data:
                    return False
                for event in conn.receive_data(data):
                    if isinstance(event, h2.events.ResponseReceived):
                        statuses[event.stream_id] = int(dict(event.headers)[":status"])
                    elif isinstance(event, h2.events.DataReceived):
                        lengths[event.stream_id] = lengths.get(event.stream_id, 0) + len(event.data)
                        conn.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
                    elif isinstance(event, h2.events.StreamEnded):
                        ended.add(event.stream_id)
                    elif isinstance(event, h2.events.StreamReset):
                        resets.append([event.stream_id, int(event.error_code)])
                        ended.add(event.stream_id)
                sock.sendall(conn.data_to_send())
            return True

        def request(method, target, end):
            sid = conn.get_next_available_stream_id()
            conn.send_headers(sid, [(":method", method), (":scheme", "http"), (":authority", "probe.test"), (":path", target)], end_stream=end)
            sock.sendall(conn.data_to_send())
            return sid

        if mode == "reset":
            sid = request("PUT", path, False)
            sent = 0
            while sent < 256 * 1024:
                window = min(conn.local_flow_control_window(sid), 16384)
                if window <= 0:
                    pump(lambda: conn.local_flow_control_window(sid) > 0)
                    continue
                conn.send_data(sid, b"x" * window)
                sock.sendall(conn.data_to_send())
                sent += window
            print("sent", flush=True)
            time.sleep(1.0)
            conn.reset_stream(sid, h2.errors.ErrorCodes.CANCEL)
            sock.sendall(conn.data_to_send())
            after = request("GET", sys.argv[4], True)
            pump(lambda: after in ended)
            print(json.dumps({"after_status": statuses.get(after), "after_length": lengths.get(after, 0), "resets": resets}), flush=True)
        elif mode == "stall":
            # Upload to a path whose upstream does not read, until the window stays shut for 2 s;
            # then a GET on the same connection must still be answered.
            sid = request("PUT", path, False)
            sent = 0
            sock.settimeout(2)
            try:
                while sent < 64 * 1024 * 1024:
                    window = min(conn.local_flow_control_window(sid), 16384)
                    if window <= 0:
                        pump(lambda: conn.local_flow_control_window(sid) > 0)
                        continue
                    conn.send_data(sid, b"x" * window)
                    sock.sendall(conn.data_to_send())
                    sent += window
            except socket.timeout:
                pass
            sock.settimeout(60)
            print("sent", flush=True)
            after = request("GET", sys.argv[4], True)
            pump(lambda: after in ended)
            print(json.dumps({"stalled_after": sent, "after_status": statuses.get(after), "after_length": lengths.get(after, 0)}), flush=True)
        """;

    /// <summary>Starts the probe; read <see cref="Run.SentAsync"/>, then <see cref="Run.ResultAsync"/>.</summary>
    public static Run Start(TempDirectory scratch, params string[] arguments)
    {
        var path = scratch.PathOf("h2probe.py");
        File.WriteAllText(path, Script);
        var start = new System.Diagnostics.ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(path);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return new Run(System.Diagnostics.Process.Start(start)!);
    }

    internal sealed class Run(System.Diagnostics.Process process) : IDisposable
    {
        private readonly Task<string> _stderr = process.StandardError.ReadToEndAsync();

        /// <summary>Waits for the "sent" line: the probe's requests are on the wire.</summary>
        public async Task SentAsync()
        {
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(line == "sent", $"the probe said {line ?? "(nothing)"} instead of \"sent\"\n{await StderrAsync()}");
        }

        public async Task<JsonElement> ResultAsync()
        {
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(90));
            Assert.True(line is not null, "the probe printed no result\n" + await StderrAsync());
            return JsonDocument.Parse(line).RootElement;
        }

        public void Dispose()
        {
            if (!process.HasExited)
            {
                process.Kill();
            }

            process.Dispose();
        }

        private async Task<string> StderrAsync() =>
            process.HasExited || await Task.WhenAny(_stderr, Task.Delay(2000)) == _stderr ? await _stderr : "(the probe is still running)";
    }
}
