using System.Net;
using System.Text.Json;
using MeshEdge.Functional.Tests.Harness;

namespace MeshEdge.Functional.Tests.Bolt;

/// <summary>
/// tests/interop/bolt/load-client.js: sofa-rpc-node's RpcClient on <c>connections</c> long-lived
/// connections, each with <c>inFlight</c> echo calls outstanding all the time, until stopped. It reports
/// the local ports of its connections, so a test can prove a connection survived (same ports, no
/// new connect, no close).
/// </summary>
internal sealed class BoltLoad : IAsyncDisposable
{
    private BoltLoad(NodeProcess process, int[] ports)
    {
        Process = process;
        InitialPorts = ports;
    }

    public NodeProcess Process { get; }

    /// <summary>The client's local ports once every connection was up.</summary>
    public int[] InitialPorts { get; }

    /// <summary>Calls answered correctly so far (from the latest stats line).</summary>
    public long Ok => Latest("ok");

    public long Failed => Latest("failed");

    public static async Task<BoltLoad> StartAsync(IPEndPoint target, string service, int connections, int inFlight)
    {
        var process = await NodeProcess.StartAsync("load-client.js", new { target = target.ToString(), service, connections, inFlight, timeoutMs = 30_000 });
        try
        {
            var connected = await process.WaitForAsync("connected", TimeSpan.FromSeconds(60));
            return new BoltLoad(process, Ports(connected));
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGINT: the client stops starting calls, waits for those in flight and reports.</summary>
    public async Task<BoltLoadResult> StopAsync()
    {
        Assert.Equal(0, Libc.Kill(Process.Pid, Libc.SigInt));
        var done = await Process.WaitForAsync("done", TimeSpan.FromSeconds(90));
        return new BoltLoadResult(
            done.GetProperty("ok").GetInt64(),
            done.GetProperty("failed").GetInt64(),
            done.GetProperty("mismatched").GetInt64(),
            [.. done.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!)],
            done.GetProperty("connects").GetInt32(),
            done.GetProperty("closes").GetInt32(),
            Ports(done));
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();

    private static int[] Ports(JsonElement line) => [.. line.GetProperty("ports").EnumerateArray().Select(p => p.GetInt32())];

    private long Latest(string field) =>
        Process.Events("stats") is { Count: > 0 } stats ? stats[^1].GetProperty(field).GetInt64() : 0;
}
