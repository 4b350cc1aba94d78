using System.Diagnostics;
using System.Text.Json;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Upstream;

/// <summary>
/// Issue 5's acceptance test: three real nginx backends behind the AOT binary, steady keep-alive load
/// through an HTTP listener with retries and an active health check, one backend killed with SIGKILL
/// mid-run and later started again on its port. No client request may fail, the dead backend must be
/// out of rotation within one health-check interval, and back in once it serves again.
/// </summary>
public sealed class BackendKillUnderLoadTests(ITestOutputHelper output)
{
    private const int HealthCheckIntervalMs = 500;

    // The checker waits interval plus up to 10% jitter between rounds (ActiveHealthChecker).
    private const int HealthCheckPeriodMs = HealthCheckIntervalMs * 11 / 10;

    // How long after the kill an answer the backend wrote before dying may still arrive.
    private const int InFlightGraceMs = 250;

    // How often the admin API is sampled: the resolution of the proxy-side timings below.
    private const int SampleEveryMs = 10;

    [Fact]
    public async Task Killing_a_backend_under_load_fails_no_request_and_it_returns_when_restarted()
    {
        var names = new[] { "a", "b", "c" };
        var backends = new NginxProcess?[names.Length];
        try
        {
            for (var i = 0; i < names.Length; i++)
            {
                backends[i] = await StartBackendAsync(names[i], port: null);
            }

            await RunAsync(backends, names);
        }
        finally
        {
            foreach (var backend in backends)
            {
                if (backend is not null)
                {
                    await backend.DisposeAsync();
                }
            }
        }
    }

    private async Task RunAsync(NginxProcess?[] backends, string[] names)
    {
        const int victim = 1;
        var victimAddress = backends[victim]!.EndPoint;
        await using var proxy = await ProxyProcess.StartTomlAsync(Config(backends.Select(b => b!.EndPoint.ToString())), output);
        var admin = $"http://{proxy.ListenerAddress("admin")}";
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var clock = Stopwatch.StartNew();

        // 8 connections x 25 req/s = 200 req/s.
        var load = new SteadyHttpLoad(proxy.ListenerAddress("web"), "/who", connections: 8, pace: TimeSpan.FromMilliseconds(40), clock);
        var samples = new List<Sample>();
        using var stopSampling = new CancellationTokenSource();
        var sampler = Task.Run(() => SampleAsync(http, admin, victimAddress.ToString(), clock, samples, stopSampling.Token));
        load.Start();
        try
        {
            // A random moment within the health checker's cycle, so that runs cover every phase of
            // it rather than always the same distance from the next check.
            await Task.Delay(2000 + Random.Shared.Next(HealthCheckPeriodMs));
            var killAtMs = clock.ElapsedMilliseconds;
            await backends[victim]!.KillHardAsync();
            await Task.Delay(3000);

            var restartAtMs = clock.ElapsedMilliseconds;
            await backends[victim]!.DisposeAsync();
            backends[victim] = null;
            backends[victim] = await StartBackendAsync(names[victim], victimAddress.Port);
            var back = await Progress.WaitUntilAsync(
                () => load.Answers.Count(a => a.Body == names[victim] && a.AtMs > restartAtMs) >= 20, TimeSpan.FromSeconds(10));
            await Task.Delay(500);
            await load.StopAsync();
            await stopSampling.CancelAsync();
            await sampler;

            // Every circuit-breaker slot the run took was given back.
            using (var clusters = JsonDocument.Parse(await http.GetStringAsync($"{admin}/clusters")))
            {
                var breakers = clusters.RootElement[0].GetProperty("circuit_breakers");
                Assert.Equal((0, 0, 0), (breakers.GetProperty("requests").GetInt32(), breakers.GetProperty("pending_requests").GetInt32(), breakers.GetProperty("retries").GetInt32()));
            }

            Report(load, Snapshot(samples), names[victim], killAtMs, restartAtMs, back, proxy);
        }
        finally
        {
            await load.StopAsync();
            await stopSampling.CancelAsync();
        }

        await proxy.StopCleanlyAsync();
    }

    private void Report(SteadyHttpLoad load, Sample[] samples, string victim, long killAtMs, long restartAtMs, bool back, ProxyProcess proxy)
    {
        // The proxy's view of traffic to the dead host. Every try sent to it fails (connect refused,
        // or a pooled connection reset) and, under this retry policy, is retried on another host, so
        // upstream_rq_retry moves only because of the dead host: nothing else fails in this run (the
        // client sees every answer, and a failure it saw would fail the test). The last sample in
        // which the retry count rose is therefore when the last try went to the dead host, known to
        // within one sampling period.
        var retriesAtKill = samples.Last(s => s.AtMs <= killAtMs).Retries;
        var lastTryToDeadMs = 0L;
        var previous = retriesAtKill;
        foreach (var sample in samples.Where(s => s.AtMs > killAtMs && s.AtMs < restartAtMs))
        {
            if (sample.Retries > previous)
            {
                lastTryToDeadMs = sample.AtMs - killAtMs;
            }

            previous = sample.Retries;
        }

        var unhealthyAtMs = samples.FirstOrDefault(s => s.AtMs > killAtMs && !s.VictimHealthy)?.AtMs - killAtMs;
        var healthyAgainMs = samples.FirstOrDefault(s => s.AtMs > restartAtMs && s.VictimHealthy)?.AtMs - restartAtMs;
        var firstAnswerAgainMs = load.Answers.Where(a => a.Body == victim && a.AtMs > restartAtMs).Select(a => a.AtMs - restartAtMs).DefaultIfEmpty(-1).Min();
        var retries = samples[^1].Retries - retriesAtKill;

        output.WriteLine($"requests sent: {load.Sent}, answered: {load.Answers.Count}, failed: {load.Failures.Count}");
        output.WriteLine($"kill -> last try sent to the dead host: {lastTryToDeadMs} ms (+/- {SampleEveryMs} ms; tries retried elsewhere: {retries})");
        output.WriteLine($"kill -> host marked unhealthy: {unhealthyAtMs} ms (health-check interval {HealthCheckIntervalMs} ms + up to 10% jitter)");
        output.WriteLine($"restart -> host healthy: {healthyAgainMs} ms; restart -> first answer from it: {firstAnswerAgainMs} ms");
        var shown = -1L;
        foreach (var sample in samples)
        {
            if (sample.Retries != shown)
            {
                output.WriteLine($"  {sample.AtMs - killAtMs,6} ms after the kill: retries {sample.Retries}, victim {(sample.VictimHealthy ? "healthy" : "unhealthy")}");
                shown = sample.Retries;
            }
        }

        foreach (var failure in load.Failures.Take(20))
        {
            output.WriteLine($"failure: {failure}");
        }

        Assert.True(load.Failures.Count == 0, $"{load.Failures.Count} client requests failed\n{proxy.Describe()}");
        Assert.True(unhealthyAtMs is not null, "the dead host was never marked unhealthy");
        // Traffic stops the moment the check fails (within the sampling error)...
        Assert.True(
            lastTryToDeadMs <= unhealthyAtMs + (2 * SampleEveryMs),
            $"the dead host still got tries {lastTryToDeadMs} ms after the kill, though marked unhealthy after {unhealthyAtMs} ms");
        // ...which is one check period after the kill; a second period is allowed for a loaded
        // machine's scheduling (these runners are shared), so that the test does not time the machine.
        Assert.True(
            unhealthyAtMs <= 2 * HealthCheckPeriodMs,
            $"the dead host was marked unhealthy only {unhealthyAtMs} ms after the kill (one check period is {HealthCheckPeriodMs} ms)");
        Assert.True(back, $"the restarted host got fewer than 20 requests (first after {firstAnswerAgainMs} ms, healthy after {healthyAgainMs} ms)");
        // An answer the backend wrote just before it died can still reach the client a moment after
        // the kill (through socket buffers and the proxy); none may arrive once that moment is past.
        var late = load.Answers.Where(a => a.Body == victim && a.AtMs > killAtMs + InFlightGraceMs && a.AtMs < restartAtMs).ToArray();
        Assert.True(late.Length == 0, $"answers from a dead host, the first {(late.Length > 0 ? late[0].AtMs - killAtMs : 0)} ms after the kill");
    }

    private static async Task SampleAsync(HttpClient http, string admin, string victim, Stopwatch clock, List<Sample> samples, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var stats = JsonDocument.Parse(await http.GetStringAsync($"{admin}/stats", stop));
                using var clusters = JsonDocument.Parse(await http.GetStringAsync($"{admin}/clusters", stop));
                var retries = stats.RootElement.GetProperty("clusters").GetProperty("app").GetProperty("upstream_rq_retry").GetInt64();
                var host = clusters.RootElement[0].GetProperty("hosts").EnumerateArray().Single(h => h.GetProperty("address").GetString() == victim);
                var healthy = host.GetProperty("health").GetString() == "healthy";
                lock (samples)
                {
                    samples.Add(new Sample(clock.ElapsedMilliseconds, retries, healthy));
                }

                await Task.Delay(SampleEveryMs, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (HttpRequestException)
            {
                // One missed sample only lowers the resolution; the figures say how it was measured.
            }
        }
    }

    private static Sample[] Snapshot(List<Sample> samples)
    {
        lock (samples)
        {
            return [.. samples];
        }
    }

    private static async Task<NginxProcess> StartBackendAsync(string name, int? port)
    {
        var nginx = await NginxProcess.StartAsync(port);
        await File.WriteAllTextAsync(Path.Combine(nginx.Root, "who"), name);
        return nginx;
    }

    private static string Config(IEnumerable<string> hosts) => $$"""
        [runtime]
        workers = 2
        drain_timeout = "5s"

        [admin]
        address = "127.0.0.1:0"

        [[listeners]]
        name = "web"
        address = "127.0.0.1:0"
        protocol = "http"
        [listeners.http]
        [[listeners.http.virtual_hosts]]
        name = "all"
        [[listeners.http.virtual_hosts.routes]]
        match = { prefix = "/" }
        cluster = "app"
        retry_policy = { retry_on = ["connect-failure", "reset", "gateway-error"], num_retries = 2 }

        [[clusters]]
        name = "app"
        connect_timeout = "1s"
        hosts = [{{string.Join(", ", hosts.Select(h => $"\"{h}\""))}}]
        health_check = { type = "http", path = "/who", interval = "{{HealthCheckIntervalMs}}ms", timeout = "250ms", unhealthy_threshold = 1, healthy_threshold = 1 }
        """;

    private sealed record Sample(long AtMs, long Retries, bool VictimHealthy);
}
