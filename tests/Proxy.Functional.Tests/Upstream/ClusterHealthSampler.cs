using System.Diagnostics;
using System.Text.Json;
using MeshEdge.Functional.Tests.Harness;

namespace MeshEdge.Functional.Tests.Upstream;

/// <summary>
/// Samples, over and over until stopped, how many health-check probes a live backend has answered,
/// then the cluster's counters from the admin API's /stats, then one host's health from /clusters:
/// in that order, so a sample's health reading is never older than its probe count. A failed or
/// timed-out sample is recorded (a test fails on any) and the next one waits a little, rather than
/// ending the sampling quietly or spinning.
/// </summary>
internal sealed class ClusterHealthSampler(string admin, string cluster, string watchedHost, NginxProcess liveBackend, Stopwatch clock)
{
    private const int SampleEveryMs = 10;
    private const int BackoffMs = 200;

    private readonly List<ClusterHealthSample> _samples = [];
    private readonly List<string> _errors = [];
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    /// <summary>The resolution of the proxy-side timings taken from the samples.</summary>
    public static int ResolutionMs => SampleEveryMs;

    public IReadOnlyList<ClusterHealthSample> Samples
    {
        get
        {
            lock (_samples)
            {
                return [.. _samples];
            }
        }
    }

    /// <summary>Every sample that failed: when, and why.</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_errors)
            {
                return [.. _errors];
            }
        }
    }

    public void Start() => _loop = Task.Run(RunAsync);

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }
    }

    private async Task RunAsync()
    {
        // A local admin API answers in milliseconds; ten seconds is a hang, and is recorded as one.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        while (!_stop.IsCancellationRequested)
        {
            var delayMs = SampleEveryMs;
            var startMs = clock.ElapsedMilliseconds;
            try
            {
                var probes = liveBackend.HealthChecksServed();
                using var stats = JsonDocument.Parse(await http.GetStringAsync($"{admin}/stats", _stop.Token));
                using var clusters = JsonDocument.Parse(await http.GetStringAsync($"{admin}/clusters", _stop.Token));
                var counters = stats.RootElement.GetProperty("clusters").GetProperty(cluster);
                var host = clusters.RootElement.EnumerateArray().Single(c => c.GetProperty("name").GetString() == cluster)
                    .GetProperty("hosts").EnumerateArray().Single(h => h.GetProperty("address").GetString() == watchedHost);
                var sample = new ClusterHealthSample(
                    startMs,
                    clock.ElapsedMilliseconds,
                    probes,
                    counters.GetProperty("upstream_rq_total").GetInt64(),
                    counters.GetProperty("upstream_rq_retry").GetInt64(),
                    counters.GetProperty("upstream_cx_connect_fail").GetInt64(),
                    host.GetProperty("health").GetString() == "healthy");
                lock (_samples)
                {
                    _samples.Add(sample);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error)
            {
                // HttpClient's own timeout arrives as a TaskCanceledException: a failure like any other.
                lock (_errors)
                {
                    _errors.Add($"sample started at {startMs} ms failed after {clock.ElapsedMilliseconds - startMs} ms: {error.GetType().Name}: {error.Message}");
                }

                delayMs = BackoffMs;
            }

            try
            {
                await Task.Delay(delayMs, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
