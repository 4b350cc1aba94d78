using System.Net;
using System.Text.Json;
using MeshEdge.Functional.Tests.Harness;

namespace MeshEdge.Functional.Tests.Grpc;

/// <summary>Makes one call with @grpc/grpc-js (tests/interop/grpc/client.js, h2c) and reads how it ended.</summary>
internal static class GrpcJsClient
{
    private static readonly JsonSerializerOptions SpecJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public static async Task<GrpcCallResult> CallAsync(IPEndPoint target, GrpcCallSpec spec)
    {
        await GrpcInterop.Interop.EnsureInstalledAsync();
        var argument = JsonSerializer.Serialize(new
        {
            target = target.ToString(),
            method = spec.Method,
            requests = spec.Requests,
            metadata = spec.Metadata,
            deadlineMs = spec.DeadlineMs,
            cancelAfterMs = spec.CancelAfterMs,
            cancelAfterReplies = spec.CancelAfterReplies,
            cancelWhenFile = spec.CancelWhenFile,
            halfClose = spec.HalfClose,
        }, SpecJson);
        var run = await ToolRun.RunAsync("node", [Path.Combine(GrpcInterop.Interop.Directory, "client.js"), argument]);
        var output = $"$ node client.js {argument}\n{run}";
        var line = run.Stdout.Split('\n').FirstOrDefault(l => l.StartsWith("{\"event\":\"result\"", StringComparison.Ordinal));
        if (run.ExitCode != 0 || line is null)
        {
            Assert.Fail($"client.js gave no result\n{output}");
        }

        var result = JsonDocument.Parse(line).RootElement;
        return new GrpcCallResult(
            result.GetProperty("code").GetInt32(),
            result.GetProperty("details").GetString() ?? "",
            [.. result.GetProperty("replies").EnumerateArray().Select(r => new GrpcReply(r.GetProperty("message").GetString()!, r.GetProperty("index").GetInt32()))],
            Strings(result.GetProperty("headers")),
            Strings(result.GetProperty("trailers")),
            result.GetProperty("elapsedMs").GetDouble(),
            output);
    }

    private static Dictionary<string, string> Strings(JsonElement map) =>
        map.ValueKind == JsonValueKind.Object ? map.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ToString()) : [];
}
