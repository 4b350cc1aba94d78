using System.Text.Json;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Tls;

/// <summary>
/// How a connection ends after a reply that closes it. A client that asked for the close (HTTP/1.0)
/// and sent nothing beyond its request is closed at once, as nginx and HAProxy do, without waiting
/// for its FIN; one that may still be sending (bytes after its request) gets the lingering close:
/// the write side shut, whatever comes read and dropped, so a reset cannot destroy the reply. Seen
/// from the client: once the reply has ended, it sends a few bytes more; a closed socket answers
/// them with a reset, a lingering one takes them.
/// </summary>
public sealed class TlsCloseAfterReplyTests(ITestOutputHelper output)
{
    /// <summary>
    /// PORT TLS EXTRA: one HTTP/1.0 request (over TLS when TLS is 1; the raw socket stays the
    /// client's), then EXTRA bytes in the same send; reads to the server's close (close_notify or
    /// FIN) without closing or shutting down its own side; then sends a byte, waits, and sends
    /// another, the second raising an error when the first met a reset.
    /// </summary>
    private const string Client = """
        import json, sys, time
        import tlsbio
        use_tls, extra = sys.argv[2] == "1", int(sys.argv[3])
        client = tlsbio.connect(int(sys.argv[1]), use_tls)
        client.handshake()
        client.send(b"GET / HTTP/1.0\r\nHost: a.example.test\r\nx-action: big:300000\r\n\r\n" + b"x" * extra)
        response = client.read_to_close()
        head, _, body = response.partition(b"\r\n\r\n")
        reset = False
        try:
            client.sock.send(b"late")
            time.sleep(0.5)
            client.sock.send(b"late")
        except (ConnectionResetError, BrokenPipeError):
            reset = True
        print(json.dumps({"status": tlsbio.status(head), "body": len(body), "reset": reset}))
        """;

    private const int BodyBytes = 300000;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_one_request_client_gets_its_whole_response_and_a_close_without_waiting_for_its_fin(bool tls)
    {
        await using var setup = await TlsBackendProxy.StartAsync(output, tls);

        var result = await MemoryBioClient.RunAsync(Client, setup.Port, tls ? "1" : "0", "0");

        AssertWholeResponse(result, setup);
        Assert.True(result.GetProperty("reset").GetBoolean(), "the proxy kept its side open after the reply (a lingering close): " + result);
        await setup.Proxy.StopCleanlyAsync();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_client_that_sent_more_than_its_request_gets_the_lingering_close(bool tls)
    {
        await using var setup = await TlsBackendProxy.StartAsync(output, tls);

        var result = await MemoryBioClient.RunAsync(Client, setup.Port, tls ? "1" : "0", "100");

        AssertWholeResponse(result, setup);
        Assert.False(result.GetProperty("reset").GetBoolean(), "the proxy closed with unread bytes (a reset instead of lingering): " + result);
        await setup.Proxy.StopCleanlyAsync();
    }

    private static void AssertWholeResponse(JsonElement result, TlsBackendProxy setup)
    {
        Assert.True(result.GetProperty("status").GetString()!.StartsWith("HTTP/1.1 200 ", StringComparison.Ordinal), "not a 200: " + result + "\n" + setup.Proxy.Describe());
        Assert.True(result.GetProperty("body").GetInt32() == BodyBytes, "the response was cut: " + result);
    }
}
