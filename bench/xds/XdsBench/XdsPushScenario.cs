using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Envoy.Service.Discovery.V3;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using MeshEdge.Native.Tests.Xds;
using MeshEdge.Native.Tests.Xds.ControlPlane;

namespace MeshEdge.Bench.Xds;

/// <summary>
/// One run: the control plane starts, the binary dials it from its bootstrap; then the whole config
/// (N clusters, N ClusterLoadAssignments, a listener and its routes) is pushed at once, CDS, EDS, LDS,
/// RDS back to back as istiod does, and timed to the last ACK (the control plane reads the nonce) and
/// to the first request that reaches the backend through the last cluster; RSS before and after gives
/// the memory per cluster. Then one cluster's endpoint moves to another backend, several times: each
/// change timed to its ACK and to the first request that reaches the new endpoint.
/// </summary>
internal static partial class XdsPushScenario
{
    private const string Cds = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
    private const string Eds = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";
    private const string Lds = "type.googleapis.com/envoy.config.listener.v3.Listener";
    private const string Rds = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);

    public static async Task<BenchResult> RunAsync(BenchOptions options)
    {
        Directory.CreateDirectory(options.WorkDirectory);
        await using var plane = await TestControlPlane.StartAsync();
        var adminPort = ProxyUnderTest.FreePort();
        var resources = new BenchResources(options.Clusters, options.BackendPort, ProxyUnderTest.FreePort());
        var bootstrap = Path.Combine(options.WorkDirectory, $"envoy-{options.Variant}.json");
        await File.WriteAllTextAsync(bootstrap, Bootstrap(plane.Port, adminPort, options.Delta));
        using var proxy = ProxyUnderTest.Start(options, bootstrap, adminPort);
        using var admin = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var traffic = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(1), MaxConnectionsPerServer = 1 })
        {
            Timeout = TimeSpan.FromSeconds(5),
        };

        await FirstRequestAsync(plane, options.Delta);
        await proxy.WaitReadyAsync(admin, Limit);
        await Task.Delay(1000);
        var rssBefore = proxy.RssKb();
        var logStart = LogLength(proxy);

        // The whole config at once; built and packed before the clock starts (a control plane has its snapshot ready).
        List<(string Name, IMessage Resource)> clusters = [.. resources.Clusters().Select(c => (c.Name, (IMessage)Any.Pack(c)))];
        List<(string Name, IMessage Resource)> assignments = [.. resources.Assignments().Select(a => (a.ClusterName, (IMessage)Any.Pack(a)))];
        await RunHookAsync(options, "before", proxy);
        var cpuBefore = proxy.CpuMs();
        var clock = Stopwatch.StartNew();
        var nonces = new List<(string Type, string Nonce)>
        {
            (Cds, await PushAsync(plane, options.Delta, Cds, "v1", clusters)),
            (Eds, await PushAsync(plane, options.Delta, Eds, "v1", assignments)),
            (Lds, await PushAsync(plane, options.Delta, Lds, "v1", [(BenchResources.ListenerName, resources.Listener())])),
            (Rds, await PushAsync(plane, options.Delta, Rds, "v1", [(BenchResources.RouteName, resources.Routes())])),
        };
        var sent = clock.Elapsed.TotalMilliseconds;
        var acks = new List<string> { "sent=" + F(sent) };
        foreach (var (type, nonce) in nonces)
        {
            await AckAsync(plane, options.Delta, type, nonce, proxy);
            acks.Add(ShortName(type) + "=" + F(clock.Elapsed.TotalMilliseconds));
        }

        var pushToAck = clock.Elapsed.TotalMilliseconds;
        var pushCpu = proxy.CpuMs() - cpuBefore;
        await TrafficAsync(traffic, resources, resources.LastCluster, body => body.Length > 0 && !body.Contains(options.NewEndpointBody, StringComparison.Ordinal), proxy);
        var pushToTraffic = clock.Elapsed.TotalMilliseconds;
        await RunHookAsync(options, "after", proxy);
        var applies = ApplyTimes(proxy, logStart);
        var handled = Handled(proxy, logStart);
        await Task.Delay(2000);
        var rssAfter = proxy.RssKb();

        // One endpoint change at a time: the changed cluster moves to the other backend and back.
        var changeAcks = new List<double>();
        var changeTraffic = new List<double>();
        var changeApplies = new List<double>();
        for (var change = 1; change <= options.EndpointChanges; change++)
        {
            var toNew = change % 2 == 1;
            var port = toNew ? options.NewEndpointPort : options.BackendPort;
            var name = BenchResources.Name(resources.ChangedCluster);
            var mark = LogLength(proxy);
            clock.Restart();
            var nonce = await PushAsync(plane, options.Delta, Eds, "e" + change, [(name, XdsResources.Assignment(name, port))]);
            await AckAsync(plane, options.Delta, Eds, nonce, proxy);
            changeAcks.Add(clock.Elapsed.TotalMilliseconds);
            await TrafficAsync(traffic, resources, resources.ChangedCluster, body => toNew == body.Contains(options.NewEndpointBody, StringComparison.Ordinal) && body.Length > 0, proxy);
            changeTraffic.Add(clock.Elapsed.TotalMilliseconds);
            changeApplies.Add(ApplyTimes(proxy, mark).DefaultIfEmpty(double.NaN).Max());
            await Task.Delay(200);
        }

        return new BenchResult(options.Variant, options.Clusters, pushToAck, pushToTraffic, rssBefore, rssAfter,
            Median(changeAcks), Median(changeTraffic), Median(changeApplies), string.Join(',', acks), string.Join(',', applies.Select(F)), pushCpu, handled);
    }

    private static string Bootstrap(int planePort, int adminPort, bool delta) => $$"""
        {
          "node": { "id": "sidecar~127.0.0.1~bench-1.bench~bench.svc.cluster.local", "cluster": "bench.bench",
                    "metadata": { "ISTIO_VERSION": "1.24.0" } },
          "admin": { "address": { "socket_address": { "address": "127.0.0.1", "port_value": {{adminPort}} } } },
          "dynamic_resources": {
            "ads_config": { "api_type": "{{(delta ? "DELTA_GRPC" : "GRPC")}}", "transport_api_version": "V3",
                            "grpc_services": [ { "envoy_grpc": { "cluster_name": "xds-grpc" } } ] },
            "cds_config": { "ads": {}, "resource_api_version": "V3" },
            "lds_config": { "ads": {}, "resource_api_version": "V3" }
          },
          "static_resources": { "clusters": [ { "name": "xds-grpc", "type": "STATIC", "connect_timeout": "1s",
            "load_assignment": { "cluster_name": "xds-grpc", "endpoints": [ { "lb_endpoints": [ { "endpoint": { "address":
              { "socket_address": { "address": "127.0.0.1", "port_value": {{planePort}} } } } } ] } ] } } ] }
        }
        """;

    private static async Task FirstRequestAsync(TestControlPlane plane, bool delta)
    {
        if (delta)
        {
            await plane.NextAsync<DeltaDiscoveryRequest>(Cds, Limit);
        }
        else
        {
            await plane.NextAsync<DiscoveryRequest>(Cds, Limit);
        }
    }

    private static async Task<string> PushAsync(TestControlPlane plane, bool delta, string type, string version, IEnumerable<(string Name, IMessage Resource)> resources) =>
        delta
            ? await plane.PushDeltaAsync(type, version, resources.Select(r => (r.Name, version, r.Resource)))
            : await plane.PushAsync(type, version, [.. resources.Select(r => r.Resource)]);

    /// <summary>Reads the client's requests of <paramref name="type"/> until the one answering <paramref name="nonce"/>; a NACK fails the run.</summary>
    private static async Task AckAsync(TestControlPlane plane, bool delta, string type, string nonce, ProxyUnderTest proxy)
    {
        while (true)
        {
            proxy.EnsureRunning();
            var (answered, error) = delta
                ? await plane.NextAsync<DeltaDiscoveryRequest>(type, Limit) is var d ? (d.ResponseNonce, d.ErrorDetail?.Message) : default
                : await plane.NextAsync<DiscoveryRequest>(type, Limit) is var s ? (s.ResponseNonce, s.ErrorDetail?.Message) : default;
            if (answered != nonce)
            {
                continue;
            }

            if (!string.IsNullOrEmpty(error))
            {
                throw new BenchFailure($"{ShortName(type)} {nonce} NACKed: {error}");
            }

            return;
        }
    }

    /// <summary>Asks for cluster <paramref name="cluster"/>'s path until the answer is what <paramref name="reached"/> looks for.</summary>
    private static async Task TrafficAsync(HttpClient http, BenchResources resources, int cluster, Func<string, bool> reached, ProxyUnderTest proxy)
    {
        var url = $"http://127.0.0.1:{resources.ListenerPort}{BenchResources.PathOf(cluster)}";
        var deadline = DateTime.UtcNow + Limit;
        while (DateTime.UtcNow < deadline)
        {
            proxy.EnsureRunning();
            try
            {
                using var response = await http.GetAsync(url);
                if ((int)response.StatusCode == 200 && reached(await response.Content.ReadAsStringAsync()))
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or the connection was closed: ask again.
            }

            await Task.Delay(1);
        }

        throw new BenchFailure($"no traffic through {url} within {Limit.TotalSeconds} s; see {proxy.LogPath}");
    }

    /// <summary>
    /// Runs <c>--hook SCRIPT</c> (if given) as <c>SCRIPT before|after PID</c> around the bulk push, to the
    /// end of which it is waited for: a profiler attached (perf record -p) or callgrind's counters
    /// zeroed and dumped (callgrind_control -z / -d) over exactly one push.
    /// </summary>
    private static async Task RunHookAsync(BenchOptions options, string when, ProxyUnderTest proxy)
    {
        if (options.Hook is not { } hook)
        {
            return;
        }

        using var process = Process.Start(new ProcessStartInfo(hook, [when, proxy.Pid.ToString(CultureInfo.InvariantCulture)]))
            ?? throw new BenchFailure("the hook did not start: " + hook);
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new BenchFailure($"the hook {hook} {when} exited with {process.ExitCode}");
        }
    }

    private static long LogLength(ProxyUnderTest proxy) => new FileInfo(proxy.LogPath).Length;

    /// <summary>The apply_ms of every config (or endpoint) change the proxy logged since <paramref name="from"/>.</summary>
    private static List<double> ApplyTimes(ProxyUnderTest proxy, long from)
    {
        using var stream = new FileStream(proxy.LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(from, SeekOrigin.Begin);
        var text = new StreamReader(stream).ReadToEnd();
        return [.. ApplyMs().Matches(text).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))];
    }

    /// <summary>The proxy's own account of each xDS response since <paramref name="from"/>: type, resources, decode and handle milliseconds.</summary>
    private static string Handled(ProxyUnderTest proxy, long from)
    {
        using var stream = new FileStream(proxy.LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(from, SeekOrigin.Begin);
        var text = new StreamReader(stream).ReadToEnd();
        return string.Join(',', HandledLine().Matches(text).Select(m =>
            $"{m.Groups[1].Value}:{m.Groups[2].Value}/{m.Groups[3].Value}ms" + (m.Groups[4].Success ? $" {m.Groups[4].Value}KB gcs={m.Groups[5].Value} pause={m.Groups[6].Value}ms" : "")));
    }

    /// <summary>The handler's log line: decode and handle times, then what the response cost the collector (allocated KB, collections by generation, pause).</summary>
    [GeneratedRegex(@"xds: update handled"" type=(\w+) resources=\d+ path=\w+ decode_ms=([0-9.]+) handle_ms=([0-9.]+)(?: alloc_kb=(\d+) gcs=([0-9/]+) gc_pause_ms=([0-9.]+))?")]
    private static partial Regex HandledLine();

    [GeneratedRegex(@"apply_ms=([0-9.]+)")]
    private static partial Regex ApplyMs();

    private static string ShortName(string type) => type switch
    {
        Cds => "CDS",
        Eds => "EDS",
        Lds => "LDS",
        _ => "RDS",
    };

    private static double Median(List<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[sorted.Count / 2];
    }

    private static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
