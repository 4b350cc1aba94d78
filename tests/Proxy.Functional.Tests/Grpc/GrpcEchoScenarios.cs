using System.Net;
using MeshEdge.Functional.Tests.Harness;

namespace MeshEdge.Functional.Tests.Grpc;

/// <summary>
/// What a gRPC call through any path (client to server directly, or through the proxy) must come out
/// as, in the four call shapes: exact replies, statuses with their messages, echoed metadata, custom
/// trailers on OK and on error endings, DEADLINE_EXCEEDED within a bound, and every kind of cancel
/// reaching the server. Each scenario makes its calls with @grpc/grpc-js to <c>target</c>, which leads
/// to <c>server</c>.
/// </summary>
internal static class GrpcEchoScenarios
{
    // gRPC status codes (grpc/doc/statuscodes.md).
    private const int Ok = 0;
    private const int Cancelled = 1;
    private const int DeadlineExceeded = 4;
    private const int NotFound = 5;
    private const int PermissionDenied = 7;
    private const int FailedPrecondition = 9;

    public static readonly IReadOnlyDictionary<string, Func<IGrpcEchoServer, IPEndPoint, Task>> All =
        new Dictionary<string, Func<IGrpcEchoServer, IPEndPoint, Task>>
        {
            ["unary: reply, echoed metadata, custom trailers"] = UnaryAsync,
            ["unary: non-OK status with its message and trailers"] = UnaryErrorAsync,
            ["server streaming: every reply in order, then trailers"] = ServerStreamAsync,
            ["server streaming: replies, then a non-OK status"] = ServerStreamErrorAsync,
            ["client streaming: one reply to all requests"] = ClientStreamAsync,
            ["bidi: ping-pong, each reply before the next request"] = BidiAsync,
            ["bidi: a non-OK status mid-stream"] = BidiErrorAsync,
            ["deadline: DEADLINE_EXCEEDED within bound, the server sees the deadline and the cancel"] = DeadlineAsync,
            ["cancel: unary"] = CancelUnaryAsync,
            ["cancel: server streaming after two replies"] = CancelServerStreamAsync,
            ["cancel: client streaming before the half-close"] = CancelClientStreamAsync,
            ["cancel: bidi after two exchanges"] = CancelBidiAsync,
        };

    public static TheoryData<string, string> Cases(params string[] servers)
    {
        var data = new TheoryData<string, string>();
        foreach (var scenario in All.Keys)
        {
            foreach (var server in servers)
            {
                data.Add(scenario, server);
            }
        }

        return data;
    }

    public static Task<IGrpcEchoServer> StartServerAsync(string kind) => kind switch
    {
        "grpc-js" => GrpcJsEchoServer.StartAsync().ContinueWith(t => (IGrpcEchoServer)t.Result, TaskScheduler.Default),
        "kestrel" => KestrelEchoServer.StartAsync().ContinueWith(t => (IGrpcEchoServer)t.Result, TaskScheduler.Default),
        _ => throw new ArgumentException($"unknown echo server '{kind}'", nameof(kind)),
    };

    private static async Task UnaryAsync(IGrpcEchoServer server, IPEndPoint target)
    {
        var call = await GrpcJsClient.CallAsync(target, new GrpcCallSpec("Unary", new GrpcEchoRequest("hello"))
        {
            Metadata = { ["x-echo-colour"] = "blue", ["x-echo-blob-bin"] = Convert.ToBase64String([0, 1, 2, 255]), ["x-other"] = "not echoed" },
        });

        AssertStatus(call, Ok);
        Assert.Equal([new GrpcReply($"{server.Name}:hello", 0)], call.Replies);
        AssertHeader(call, "x-echo-server", server.Name);
        AssertHeader(call, "x-echo-colour", "blue");
        AssertHeader(call, "x-echo-blob-bin", "AAEC/w==");
        Assert.False(call.Headers.ContainsKey("x-other"), call.Output);
        AssertTrailers(call, server, "hello");
        var seen = await server.WaitForCallAsync("Unary");
        Assert.Equal("blue", seen.Metadata.GetValueOrDefault("x-echo-colour"));
        Assert.Equal("not echoed", seen.Metadata.GetValueOrDefault("x-other"));
    }

    private static async Task UnaryErrorAsync(IGrpcEchoServer server, IPEndPoint target)
    {
        // A message that needs grpc-message's percent-encoding: a proxy must pass it on as it is.
        const string message = "denied: 100% sure, \"quoted\", über";
        var call = await GrpcJsClient.CallAsync(target, new GrpcCallSpec("Unary", new GrpcEchoRequest("secret", FailCode: PermissionDenied, FailMessage: message)));

        AssertStatus(call, PermissionDenied, message);
        Assert.Empty(call.Replies);
        AssertTrailers(call, server, "secret");
    }

    private static async Task ServerStreamAsync(IGrpcEchoServer server, IPEndPoint target)
    {
        var call = await GrpcJsClient.CallAsync(target, new GrpcCallSpec("ServerStream", new GrpcEchoRequest("tick", Count: 5)));

        AssertStatus(call, Ok);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => new GrpcReply($"{server.Name}:tick", i)), call.Replies);
        AssertTrailers(call, server, "tick");
    }

    private static async Task ServerStreamErrorAsync(IGrpcEchoServer server, IPEndPoint target)
    {
        var call = await GrpcJsClient.CallAsync(target, new GrpcCallSpec("ServerStream", new GrpcEchoRequest("tick", Count: 2, FailCode: FailedPrecondition, FailMessage: "stopped after two")));

        AssertStatus(call, FailedPrecondition, "stopped after two");
        Assert.Equal([new GrpcReply($"{server.Name}:tick", 0), new GrpcReply($"{server.Name}:tick", 1)], call.Replies);
        AssertTrailers(call, server, "tick");
    }

    private static async Task ClientStreamAsync(IGrpcEchoServer server, IPEndPoint target)
    {
        var call = await GrpcJsClient.CallAsync(target, new GrpcCallSpec("ClientStream", new GrpcEchoRequest("a"), new GrpcEchoRequest("b"), new GrpcEchoRequest("c")));

        AssertStatus(call, Ok);
        Assert.Equal([new GrpcReply($"{server.Name}:a,b,c", 3)], call.Replies);
        AssertTrailers(call, server, "c");
    }

    private static async Task BidiAsync(IGrpcEchoServer server, IPEndPoint target)
    {
        // client.js writes each request only when the reply to the one before has come back: a path
        // that held the request stream until the client's END_STREAM would never finish this call.
        var call = await GrpcJsClient.CallAsync(target, new GrpcCallSpec("Bidi", new GrpcEchoRequest("one"), new GrpcEchoRequest("two"), new GrpcEchoRequest("three")) { DeadlineMs = 30_000 });

        AssertStatus(call, Ok);
        Assert.Equal([new GrpcReply($"{server.Name}:one", 0), new GrpcReply($"{server.Name}:two", 1), new GrpcReply($"{server.Name}:three", 2)], call.Replies);
        AssertTrailers(call, server, "three");
    }

    private static async Task BidiErrorAsync(IGrpcEchoServer server, IPEndPoint target)
    {
        var call = await GrpcJsClient.CallAsync(target, new GrpcCallSpec("Bidi", new GrpcEchoRequest("one"), new GrpcEchoRequest("two", FailCode: NotFound, FailMessage: "no two here")));

        AssertStatus(call, NotFound, "no two here");
        Assert.Equal([new GrpcReply($"{server.Name}:one", 0)], call.Replies);
        AssertTrailers(call, server, "two");
    }

    private static async Task DeadlineAsync(IGrpcEchoServer server, IPEndPoint target)
    {
        const int deadlineMs = 1_000;
        const int serverDelayMs = 8_000;
        var call = await GrpcJsClient.CallAsync(target, new GrpcCallSpec("Unary", new GrpcEchoRequest("slow", DelayMs: serverDelayMs)) { DeadlineMs = deadlineMs });

        AssertStatus(call, DeadlineExceeded);
        Assert.Empty(call.Replies);
        // Not before the deadline, and well before the server would have answered: the deadline ended it.
        Assert.InRange(call.ElapsedMs, deadlineMs * 0.9, serverDelayMs / 2);
        var seen = await server.WaitForCallAsync("Unary");
        Assert.True(seen.DeadlineMs is > 0 and <= deadlineMs, $"the server saw a deadline of {seen.DeadlineMs?.ToString() ?? "none"} ms, expected (0, {deadlineMs}]\n{server.Describe()}");
        await server.WaitForCancelledAsync("Unary");
        Assert.Equal(0, server.FinishedCount("Unary"));
    }

    private static async Task CancelUnaryAsync(IGrpcEchoServer server, IPEndPoint target)
    {
        var call = await CallAndCancelOnceSeenAsync(server, target, new GrpcCallSpec("Unary", new GrpcEchoRequest("wait", Hang: true)));

        AssertStatus(call, Cancelled);
        await server.WaitForCancelledAsync("Unary");
    }

    private static async Task CancelServerStreamAsync(IGrpcEchoServer server, IPEndPoint target)
    {
        var call = await GrpcJsClient.CallAsync(target, new GrpcCallSpec("ServerStream", new GrpcEchoRequest("tick", Count: 10_000, DelayMs: 20)) { CancelAfterReplies = 2 });

        AssertStatus(call, Cancelled);
        Assert.Equal([new GrpcReply($"{server.Name}:tick", 0), new GrpcReply($"{server.Name}:tick", 1)], call.Replies);
        await server.WaitForCancelledAsync("ServerStream");
        Assert.Equal(0, server.FinishedCount("ServerStream"));
    }

    private static async Task CancelClientStreamAsync(IGrpcEchoServer server, IPEndPoint target)
    {
        // The last request hangs: a server may see the client's RST_STREAM as the end of the request
        // stream a moment before the cancel itself (later still on a loaded machine), and must not
        // answer in between. A proxy that turned the cancel into a half-close leaves it hanging: no cancel seen.
        var call = await CallAndCancelOnceSeenAsync(server, target, new GrpcCallSpec("ClientStream", new GrpcEchoRequest("a"), new GrpcEchoRequest("b", Hang: true)) { HalfClose = false });

        AssertStatus(call, Cancelled);
        await server.WaitForCancelledAsync("ClientStream");
        Assert.Equal(0, server.FinishedCount("ClientStream"));
    }

    private static async Task CancelBidiAsync(IGrpcEchoServer server, IPEndPoint target)
    {
        // Cancelled after both replies, with the last request hanging (see the client-stream cancel).
        var call = await GrpcJsClient.CallAsync(target, new GrpcCallSpec("Bidi", new GrpcEchoRequest("one"), new GrpcEchoRequest("two", Hang: true)) { HalfClose = false, CancelAfterReplies = 2 });

        AssertStatus(call, Cancelled);
        Assert.Equal([new GrpcReply($"{server.Name}:one", 0), new GrpcReply($"{server.Name}:two", 1)], call.Replies);
        await server.WaitForCancelledAsync("Bidi");
        Assert.Equal(0, server.FinishedCount("Bidi"));
    }

    /// <summary>
    /// Makes the call and has the client cancel it once the server has seen it: a cancel after a fixed
    /// time may come before a loaded machine has carried the call through the proxy, and the server
    /// then has nothing to see cancelled.
    /// </summary>
    private static async Task<GrpcCallResult> CallAndCancelOnceSeenAsync(IGrpcEchoServer server, IPEndPoint target, GrpcCallSpec spec)
    {
        using var directory = new TempDirectory();
        var cancel = directory.PathOf("cancel");
        var call = GrpcJsClient.CallAsync(target, spec with { CancelWhenFile = cancel });
        try
        {
            await server.WaitForCallAsync(spec.Method);
        }
        finally
        {
            // Also when the server never saw it, so that the client ends and its output shows why.
            await File.WriteAllTextAsync(cancel, "");
        }

        return await call;
    }

    private static void AssertStatus(GrpcCallResult call, int code, string? details = null)
    {
        Assert.True(call.Code == code, $"status {call.Code} \"{call.Details}\", expected {code}\n{call.Output}");
        if (details is not null)
        {
            Assert.True(call.Details == details, $"status message \"{call.Details}\", expected \"{details}\"\n{call.Output}");
        }
    }

    private static void AssertHeader(GrpcCallResult call, string name, string value) =>
        Assert.True(call.Headers.GetValueOrDefault(name) == value, $"response header {name}: \"{call.Headers.GetValueOrDefault(name)}\", expected \"{value}\"\n{call.Output}");

    private static void AssertTrailers(GrpcCallResult call, IGrpcEchoServer server, string lastMessage)
    {
        Assert.True(call.Trailers.GetValueOrDefault("x-trailer-server") == server.Name, $"trailer x-trailer-server: \"{call.Trailers.GetValueOrDefault("x-trailer-server")}\", expected \"{server.Name}\"\n{call.Output}");
        Assert.True(call.Trailers.GetValueOrDefault("x-trailer-message") == lastMessage, $"trailer x-trailer-message: \"{call.Trailers.GetValueOrDefault("x-trailer-message")}\", expected \"{lastMessage}\"\n{call.Output}");
    }
}
