using System.Globalization;
using System.Text;
using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Tls;

/// <summary>
/// Records whose plaintext does not fit the room left in the connection's input block: libssl hands
/// out what fits and keeps the rest, and the transport must come back for it although the socket has
/// nothing new (it skips SSL_read calls that could only say WANT_READ, and this is not one of them).
/// </summary>
public sealed class TlsRecordBoundaryTests(ITestOutputHelper output) : IAsyncLifetime
{
    private TestCertificates _certificates = null!;
    private ScriptedHttpBackend _backend = null!;
    private ProxyProcess _proxy = null!;

    public async Task InitializeAsync()
    {
        _certificates = await TestCertificates.CreateAsync();
        var a = await _certificates.IssueAsync("a.example.test");
        _backend = ScriptedHttpBackend.Start();
        _proxy = await ProxyProcess.StartTomlAsync(TlsToml.Config(HttpToml.CatchAll(), TlsToml.Certificate(a, "a.example.test"), HttpToml.Cluster("app", _backend.EndPoint)), output);
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        _backend.AssertNoErrors();
        await _backend.DisposeAsync();
        _certificates.Dispose();
    }

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
        var bytes = Encoding.ASCII.GetBytes(head.ToString());
        await using var connection = await TlsClientConnection.OpenAsync(_proxy.ListenerAddress(), "a.example.test");

        await connection.WriteRecordsAsync(bytes[..10_000], bytes[10_000..]);
        var response = await connection.ReadResponseAsync();

        Assert.StartsWith("HTTP/1.1 200", response, StringComparison.Ordinal);
        var received = Assert.Single(_backend.Requests);
        Assert.Equal("/straddle", received.Head.Target);
        Assert.Equal("end", received.Head.Get("x-last"));
        Assert.Equal(fillers, received.Head.Fields.Count(field => field.Key.StartsWith("x-filler-", StringComparison.OrdinalIgnoreCase)));
    }
}
