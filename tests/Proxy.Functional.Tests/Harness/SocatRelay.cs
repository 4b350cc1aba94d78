using System.Net;

namespace MeshEdge.Functional.Tests.Harness;

/// <summary>
/// Debian's socat relaying each connection to a free loopback port (a process per connection,
/// <c>fork</c>) to another address, with OpenSSL on one side: a TLS terminator in front of a
/// plaintext server, or a TLS originator behind a plaintext client.
/// </summary>
internal sealed class SocatRelay : IAsyncDisposable
{
    private readonly PeerProcess _process;

    private SocatRelay(PeerProcess process, IPEndPoint endPoint)
    {
        _process = process;
        EndPoint = endPoint;
    }

    public IPEndPoint EndPoint { get; }

    /// <summary>
    /// Listens on a free port: <paramref name="listen"/> is the listening address type with its options
    /// after the port ("TCP-LISTEN" and "", or "OPENSSL-LISTEN" and ",cert=..."), <paramref name="target"/>
    /// the address each connection is relayed to.
    /// </summary>
    public static async Task<SocatRelay> StartAsync(string listen, string listenOptions, string target)
    {
        var port = LoopbackPorts.Free();
        var process = PeerProcess.Start("socat", "socat", ["-d", $"{listen}:{port},bind=127.0.0.1,reuseaddr,fork{listenOptions}", target]);
        var relay = new SocatRelay(process, new IPEndPoint(IPAddress.Loopback, port));
        await process.WaitUntilListeningAsync(relay.EndPoint);
        return relay;
    }

    public string Describe() => _process.Describe();

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
