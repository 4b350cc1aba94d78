using System.Text.Json;
using MeshEdge.Functional.Tests.Harness;

namespace MeshEdge.Functional.Tests.Tls;

/// <summary>
/// A python3 TLS 1.3 client over memory BIOs (ssl.MemoryBIO and SSLObject), for tests that need
/// what no stock client lets them choose: which records leave in which send (the Finished with the
/// request, a head split into records of chosen sizes), what comes back when, and the raw socket
/// after the TLS session ends. A test's script imports <c>tlsbio</c> (<see cref="Module"/>, written
/// next to it), takes the listener's port as its first argument and prints one JSON object.
/// </summary>
internal static class MemoryBioClient
{
    /// <summary>
    /// <c>connect(port, use_tls=True)</c> gives a <c>Client</c>: <c>handshake()</c> runs up to the
    /// client's Finished, which stays queued so that the next <c>send</c> takes it along (<c>flush()</c>
    /// sends it alone); <c>send(*records)</c> writes each as a record of its own, all in one send;
    /// <c>receive_for(seconds)</c> counts the bytes that arrive until the line is quiet that long;
    /// <c>read_to_close()</c> reads to close_notify or FIN, <c>read_response()</c> one response by its
    /// content-length; <c>sock</c> is the raw socket. With use_tls false the same calls speak plaintext.
    /// </summary>
    public const string Module = """
        import select, socket, ssl, sys

        class Client:
            def __init__(self, port, use_tls, server_name):
                self.sock = socket.create_connection(("127.0.0.1", port))
                self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                self.tls = None
                self.pending = b""
                if use_tls:
                    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
                    context.check_hostname = False
                    context.verify_mode = ssl.CERT_NONE
                    context.minimum_version = ssl.TLSVersion.TLSv1_3
                    self.incoming, self.outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
                    self.tls = context.wrap_bio(self.incoming, self.outgoing, server_hostname=server_name)

            def handshake(self):
                while self.tls is not None:
                    try:
                        self.tls.do_handshake()
                        return
                    except ssl.SSLWantReadError:
                        self.flush()
                        if not self._receive():
                            sys.exit("closed during the handshake")

            def flush(self):
                if self.tls is not None and self.outgoing.pending:
                    self.sock.sendall(self.outgoing.read())

            def send(self, *records):
                if self.tls is None:
                    self.sock.sendall(b"".join(records))
                    return
                for record in records:
                    self.tls.write(record)
                self.flush()

            def receive_for(self, seconds):
                count = 0
                while select.select([self.sock], [], [], seconds)[0]:
                    received = self._receive()
                    if not received:
                        break
                    count += received
                return count

            def read_to_close(self):
                data = self.pending
                self.pending = b""
                while (chunk := self._read()) is not None:
                    data += chunk
                return data

            def read_response(self):
                data = self.pending
                while True:
                    head, found, _ = data.partition(b"\r\n\r\n")
                    if found:
                        end = len(head) + 4 + _content_length(head)
                        if len(data) >= end:
                            self.pending = data[end:]
                            return data[:end]
                    chunk = self._read()
                    if chunk is None:
                        sys.exit("closed mid-response: %r" % data[:200])
                    data += chunk

            def _read(self):
                # The next plaintext, or None at the end (close_notify or FIN).
                while True:
                    if self.tls is None:
                        return self.sock.recv(65536) or None
                    try:
                        return self.tls.read(65536) or None
                    except ssl.SSLWantReadError:
                        if not self._receive():
                            return None
                    except ssl.SSLZeroReturnError:
                        return None

            def _receive(self):
                data = self.sock.recv(65536)
                if data and self.tls is not None:
                    self.incoming.write(data)
                return len(data)

        def _content_length(head):
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    return int(value)
            return 0

        def connect(port, use_tls=True, server_name="a.example.test"):
            return Client(port, use_tls, server_name)

        def status(response):
            return response.split(b"\r\n", 1)[0].decode()
        """;

    /// <summary>Runs <paramref name="script"/> with the port and <paramref name="arguments"/>; fails the test unless it exits 0; its JSON line.</summary>
    public static async Task<JsonElement> RunAsync(string script, int port, params string[] arguments)
    {
        using var directory = new TempDirectory();
        directory.Write("tlsbio.py", Module);
        var path = directory.Write("client.py", script);
        var run = await ToolRun.RunAsync("/usr/bin/python3", [path, port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. arguments]);
        Assert.True(run.ExitCode == 0, run.ToString());
        using var result = JsonDocument.Parse(run.Stdout);
        return result.RootElement.Clone();
    }
}
