using System.Net;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Grpc;

/// <summary>
/// MeshEdge as a gRPC proxy: an HTTP listener whose clients speak h2c (prior knowledge) and a cluster
/// it speaks h2 to. Until the binary has both, a test using it is skipped with the reason: the h2
/// upstream key refused (h2up: the cluster's upstream protocol) or no HTTP/2 answer to curl
/// --http2-prior-knowledge (h2down: the HTTP/2 downstream session).
/// </summary>
internal static class MeshEdgeGrpcProxy
{
    /// <summary>
    /// The cluster key that makes MeshEdge speak h2 to its hosts (issue 18: "a cluster chooses h1, h2 or
    /// ALPN"), as the h2up branch names it: "h2" is h2c to a cluster without a tls table. Should it be
    /// renamed, change it here (bench/h2 takes the same from MESHEDGE_H2_CLUSTER).
    /// </summary>
    public const string H2ClusterKeys = "protocol = \"h2\"";

    /// <summary>One virtual host sending <paramref name="routePrefix"/> to the cluster "grpc" of <paramref name="hosts"/>, spoken to in h2.</summary>
    public static string Config(IEnumerable<IPEndPoint> hosts, string routePrefix = "/") => HttpToml.Config(
        $$"""
        [[listeners.http.virtual_hosts]]
        name = "grpc"
        domains = ["*"]
        [[listeners.http.virtual_hosts.routes]]
        match = { prefix = "{{routePrefix}}" }
        cluster = "grpc"
        """,
        HttpToml.Cluster("grpc", hosts, H2ClusterKeys));

    /// <summary>Starts MeshEdge on <paramref name="toml"/> (from <see cref="Config"/>), or skips the test when the binary cannot proxy h2 yet.</summary>
    public static async Task<ProxyProcess> StartAsync(string toml, ITestOutputHelper output)
    {
        using (var scratch = new TempDirectory())
        {
            var validate = await MeshEdgeCli.RunAsync(output, "validate", "-c", scratch.Write("meshedge.toml", toml));
            Skip.If(validate.ExitCode != 0, $"MeshEdge refuses the h2 upstream key `{H2ClusterKeys}` (h2up, issue 18: the cluster's upstream protocol, src/Proxy.Native/Http/Upstream2; if it landed under another name, change MeshEdgeGrpcProxy.H2ClusterKeys): {string.Join(" ", validate.Stderr)}");
        }

        var proxy = await ProxyProcess.StartTomlAsync(toml, output);
        var curl = await ToolRun.CurlAsync("--http2-prior-knowledge", "-o", "/dev/null", "-w", "%{http_version}", $"http://{proxy.ListenerAddress()}/");
        if (curl.Stdout.Trim() != "2")
        {
            await proxy.DisposeAsync();
            Skip.If(true, $"MeshEdge does not serve h2c yet (h2down, issue 18: the HTTP/2 downstream session, src/Proxy.Native/Http/Http2): curl --http2-prior-knowledge got http_version \"{curl.Stdout.Trim()}\", {curl.Stderr.Trim()}");
        }

        return proxy;
    }
}
