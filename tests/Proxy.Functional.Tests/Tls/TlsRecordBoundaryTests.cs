using System.Globalization;
using System.Text;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Tls;

/// <summary>
/// Records whose plaintext does not fit the room left in the connection's input block: libssl hands
/// out what fits and keeps the rest, and the transport must come back for it although the socket has
/// nothing new (it skips SSL_read calls that could only say WANT_READ, and this is not one of them).
/// </summary>
public sealed class TlsRecordBoundaryTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>
    /// PORT SPLIT HEAD: after the handshake (its Finished sent alone), HEAD's first SPLIT bytes as
    /// one record and the rest as another, in one send; then the response's status line.
    /// </summary>
    private const string Client = """
        import json, sys
        import tlsbio
        client = tlsbio.connect(int(sys.argv[1]))
        client.handshake()
        client.flush()
        split, head = int(sys.argv[2]), sys.argv[3].encode()
        client.send(head[:split], head[split:])
        print(json.dumps({"status": tlsbio.status(client.read_response())}))
        """;

    private TlsBackendProxy _setup = null!;

    public async Task InitializeAsync()
    {
        _setup = await TlsBackendProxy.StartAsync(output);
    }

    public async Task DisposeAsync() => await _setup.DisposeAsync();

    [Fact]
    public async Task A_head_whose_last_record_straddles_an_input_block_reaches_the_upstream_whole()
    {
        // A 20 KB request head in two records of 10 KB: the head is not complete after the first, so
        // its bytes stay in the input block (16 KiB) and the second record's plaintext fits only in
        // part. Its rest waits in libssl with nothing more to come from the socket: a transport that
        // does not read it stalls the request (the client times out).
        var head = new StringBuilder("GET /straddle HTTP/1.1\r\nHost: a.example.test\r\n");
        var fillers = 0;
        for (; head.Length < 20_000; fillers++)
        {
            head.Append(string.Create(CultureInfo.InvariantCulture, $"x-filler-{fillers:D3}: {new string((char)('a' + (fillers % 26)), 480)}\r\n"));
        }

        head.Append("x-last: end\r\n\r\n");

        var result = await MemoryBioClient.RunAsync(Client, _setup.Port, "10000", head.ToString());

        Assert.StartsWith("HTTP/1.1 200", result.GetProperty("status").GetString(), StringComparison.Ordinal);
        var received = Assert.Single(_setup.Backend.Requests);
        Assert.Equal("/straddle", received.Head.Target);
        Assert.Equal("end", received.Head.Get("x-last"));
        Assert.Equal(fillers, received.Head.Fields.Count(field => field.Key.StartsWith("x-filler-", StringComparison.OrdinalIgnoreCase)));
    }
}
