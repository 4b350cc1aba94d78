using System.Net;
using System.Text.Json;
using MeshEdge.Functional.Tests.Harness;

namespace MeshEdge.Functional.Tests.Bolt;

/// <summary>
/// One run of tests/interop/bolt/client.js: a real SOFA client making calls, all started at once on one
/// connection. Mode "bolt" uses sofa-bolt-node's codec directly (statuses visible, oneway and heartbeats);
/// mode "rpc" uses sofa-rpc-node's RpcClient, the full client as applications use it. Version 2 sends Bolt v2
/// frames with CRC32 (bolt mode only). In bolt mode a run can also hold follow-up calls back until
/// <see cref="SendFollowUpAsync"/>.
/// </summary>
internal sealed class BoltClient : IAsyncDisposable
{
    private static readonly TimeSpan DoneTimeout = TimeSpan.FromSeconds(90);

    private BoltClient(NodeProcess process)
    {
        Process = process;
    }

    public NodeProcess Process { get; }

    public static async Task<BoltClient> StartAsync(IPEndPoint target, BoltCall[] calls, string mode = "bolt",
        int heartbeats = 0, int payloadLength = 0, int waitMs = 30_000, int version = 1, int noReadHoldMs = 0,
        BoltCall[]? followUp = null)
    {
        var spec = new
        {
            target = target.ToString(),
            mode,
            heartbeats,
            payloadLength,
            waitMs,
            version,
            crc = version == 2,
            noRead = noReadHoldMs > 0,
            holdMs = noReadHoldMs,
            calls = Calls(calls),
            followUp = Calls(followUp ?? []),
        };
        return new BoltClient(await NodeProcess.StartAsync("client.js", spec));
    }

    /// <summary>Starts a run and waits for its results.</summary>
    public static async Task<BoltRun> RunAsync(IPEndPoint target, BoltCall[] calls, string mode = "bolt", int heartbeats = 0,
        int payloadLength = 0, int version = 1)
    {
        await using var client = await StartAsync(target, calls, mode, heartbeats, payloadLength, version: version);
        return await client.WaitAsync();
    }

    public Task SentAsync() => Process.WaitForAsync("sent", TimeSpan.FromSeconds(60));

    /// <summary>Starts the follow-up calls (SIGUSR2 to the client) and waits until they are written.</summary>
    public async Task SendFollowUpAsync()
    {
        Assert.Equal(0, Libc.Kill(Process.Pid, Libc.SigUsr2));
        await Process.WaitForAsync("followUpSent", TimeSpan.FromSeconds(30));
    }

    public async Task<BoltRun> WaitAsync()
    {
        var done = await Process.WaitForAsync("done", DoneTimeout);
        var results = done.GetProperty("results").Deserialize<BoltCallResult[]>()!;
        var heartbeats = done.TryGetProperty("heartbeats", out var h) ? h.Deserialize<BoltCallResult[]>()! : [];
        var followUp = done.TryGetProperty("followUp", out var f) ? f.Deserialize<BoltCallResult[]>()! : [];
        return new BoltRun(results, heartbeats, Process.Describe()) { FollowUp = followUp };
    }

    private static object[] Calls(BoltCall[] calls) =>
        [.. calls.Select(c => new { service = c.Service, method = c.Method, args = c.Args, count = c.Count, timeoutMs = c.TimeoutMs, oneway = c.Oneway })];

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
