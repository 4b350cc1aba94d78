using System.Net;
using MeshEdge.Functional.Tests.Harness;

namespace MeshEdge.Functional.Tests.Bolt;

/// <summary>
/// A SOFARPC server from sofa-rpc-node (tests/interop/bolt/server.js) on an ephemeral port. Its methods:
/// echo(v) -> "name:v", mirror(v) -> v, delay(ms, v) -> "name:v" after ms, gated(v) -> "name:v" once
/// <see cref="OpenGateAsync"/> is called, hang() never answers, note(v) for oneway calls. It reports each
/// call it receives, so a test knows what reached it.
/// </summary>
internal sealed class BoltServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private BoltServer(NodeProcess process, string name, IPEndPoint endPoint)
    {
        Process = process;
        Name = name;
        EndPoint = endPoint;
    }

    public NodeProcess Process { get; }

    public string Name { get; }

    public IPEndPoint EndPoint { get; }

    /// <summary>Calls received (all methods but the oneway note).</summary>
    public int Requests => Process.Count("request");

    /// <summary>Calls of <paramref name="method"/> received (echo only when the server is not quiet).</summary>
    /// <summary>Echo calls a quiet server answered, as of its last report (every 100 ms while it changes).</summary>
    public long QuietEchoes => Process.Events("echoes").LastOrDefault() is { ValueKind: System.Text.Json.JsonValueKind.Object } last ? last.GetProperty("count").GetInt64() : 0;

    public int RequestsOf(string method) => Process.Events("request").Count(e => e.GetProperty("method").GetString() == method);

    public IReadOnlyList<string> Notes => [.. Process.Events("note").Select(e => e.GetProperty("value").GetString()!)];

    public static Task<BoltServer> StartAsync(string name, params string[] services) => StartAsync(name, services, quiet: false);

    /// <summary>A server for load tests: it does not report each echo call.</summary>
    public static Task<BoltServer> StartQuietAsync(string name, params string[] services) => StartAsync(name, services, quiet: true);

    private static async Task<BoltServer> StartAsync(string name, string[] services, bool quiet)
    {
        var process = await NodeProcess.StartAsync("server.js", new { name, services, quiet });
        try
        {
            var listening = await process.WaitForAsync("listening", StartTimeout);
            return new BoltServer(process, name, new IPEndPoint(IPAddress.Loopback, listening.GetProperty("port").GetInt32()));
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>Lets every gated call, received or still to come, be answered (SIGUSR2 to the server).</summary>
    public async Task OpenGateAsync()
    {
        Assert.Equal(0, Libc.Kill(Process.Pid, Libc.SigUsr2));
        await Process.WaitForAsync("gateOpened", TimeSpan.FromSeconds(30));
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
