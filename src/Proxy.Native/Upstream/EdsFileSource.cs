using System.Net;
using System.Text.Json;
using MeshEdge.Config.Model;
using MeshEdge.Config.Values;
using MeshEdge.Native.Hosting;

namespace MeshEdge.Native.Upstream;

/// <summary>
/// A discovery source for an eds cluster until the xDS client exists: a JSON file
/// (<c>{"hosts": ["10.0.0.1:80", {"address": "10.0.0.2:80", "weight": 2, "priority": 1}]}</c>)
/// watched by polling its modification time once a second, as Envoy's path-based EDS does. Every
/// valid version replaces the host set through <see cref="ClusterRuntime.UpdateHosts"/>; an invalid
/// one is logged with the file and the reason and changes nothing.
/// </summary>
internal sealed class EdsFileSource(ClusterRuntime cluster, string path)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private DateTime _lastWrite = DateTime.MinValue;
    private long _lastLength = -1;
    private bool _missingReported;

    public long Rejected { get; private set; }

    public async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            Poll();
            try
            {
                await Task.Delay(PollInterval, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Reads the file when it changed since the last look.</summary>
    public void Poll()
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            // Said once, not every second: the configured hosts serve until the file appears.
            if (!_missingReported)
            {
                _missingReported = true;
                Log.Warn("eds file not found, serving the configured hosts until it appears", ("cluster", cluster.Name), ("file", path));
            }

            return;
        }

        _missingReported = false;
        if (info.LastWriteTimeUtc == _lastWrite && info.Length == _lastLength)
        {
            return;
        }

        _lastWrite = info.LastWriteTimeUtc;
        _lastLength = info.Length;
        try
        {
            cluster.UpdateHosts(Parse(File.ReadAllBytes(path)));
        }
        catch (Exception e) when (e is IOException or JsonException or FormatException or UnauthorizedAccessException)
        {
            Rejected++;
            Log.Error("eds update rejected", ("cluster", cluster.Name), ("file", path), ("reason", e.Message));
        }
    }

    internal static List<HostConfig> Parse(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Object
            || !document.RootElement.TryGetProperty("hosts", out var hosts) || hosts.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("expected an object with a \"hosts\" array");
        }

        var result = new List<HostConfig>();
        var index = 0;
        foreach (var entry in hosts.EnumerateArray())
        {
            result.Add(entry.ValueKind switch
            {
                JsonValueKind.String => new HostConfig(Endpoint(entry.GetString()!, index), 1),
                JsonValueKind.Object => new HostConfig(
                    Endpoint(entry.TryGetProperty("address", out var address) && address.ValueKind == JsonValueKind.String ? address.GetString()! : throw new FormatException($"hosts[{index}].address: missing or not a string"), index),
                    Number(entry, "weight", 1, 1, 1000, index))
                {
                    Priority = Number(entry, "priority", 0, 0, 8, index),
                },
                _ => throw new FormatException($"hosts[{index}]: expected \"ip:port\" or an object"),
            });
            index++;
        }

        return result;
    }

    /// <summary>The config file's rules and messages for a host address (IP literal, IPv6 in brackets, port 1..65535).</summary>
    private static IPEndPoint Endpoint(string text, int index)
    {
        if (!EndpointParser.TryParse(text, out var address, out var port, out var problem))
        {
            throw new FormatException($"hosts[{index}].address: {problem}");
        }

        return port is >= 1 and <= IPEndPoint.MaxPort
            ? new IPEndPoint(address, port)
            : throw new FormatException($"hosts[{index}].address: port {port} is out of range (1..{IPEndPoint.MaxPort})");
    }

    private static int Number(JsonElement entry, string key, int fallback, int min, int max, int index)
    {
        if (!entry.TryGetProperty(key, out var value))
        {
            return fallback;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number >= min && number <= max
            ? number
            : throw new FormatException($"hosts[{index}].{key}: expected an integer in {min}..{max}");
    }
}
