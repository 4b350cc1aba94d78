using System.Collections.Concurrent;

namespace MeshEdge.Native.Hosting;

/// <summary>
/// What live configuration has done, per resource type (listeners, clusters, routes): the version in
/// effect, who supplied it, when it took effect, and the last rejection. Written by whoever applies a
/// config (one at a time), read by /config_dump and /metrics; each type's state is replaced whole.
/// </summary>
internal sealed class LiveConfigStatus
{
    public const string Listeners = "listeners";
    public const string Clusters = "clusters";
    public const string Routes = "routes";

    /// <summary>The resource types in /config_dump's order.</summary>
    public static readonly string[] Types = [Listeners, Clusters, Routes];

    private readonly ConcurrentDictionary<string, ResourceState> _types = new();
    private readonly ConcurrentQueue<double> _unobservedApplySeconds = new();
    private long _accepted;
    private long _rejected;
    private long _lastSuccessUnixMs;

    /// <summary>One resource type's state; replaced whole.</summary>
    /// <param name="Version">The supplier's version of the config that last changed this type.</param>
    /// <param name="Source">Who supplied it: file (at start), reload, admin, watch, xds.</param>
    public sealed record ResourceState(string Version, string Source, DateTimeOffset UpdatedAt)
    {
        public Rejection? LastRejection { get; init; }
    }

    /// <summary>The last refused config's reason (file, key path, reason where the loader gives them).</summary>
    public sealed record Rejection(string Version, string Source, DateTimeOffset At, string Error);

    public long AcceptedTotal => Interlocked.Read(ref _accepted);

    public long RejectedTotal => Interlocked.Read(ref _rejected);

    /// <summary>When a config last took effect (start-up included), Unix milliseconds.</summary>
    public long LastSuccessUnixMs => Interlocked.Read(ref _lastSuccessUnixMs);

    public ResourceState? State(string type) => _types.GetValueOrDefault(type);

    /// <summary>The first config, at start: every type is at its version.</summary>
    public void Started(string source, string version)
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var type in Types)
        {
            _types[type] = new ResourceState(version, source, now);
        }

        Interlocked.Exchange(ref _lastSuccessUnixMs, now.ToUnixTimeMilliseconds());
    }

    /// <summary>A config took effect; <paramref name="changed"/> names the types it changed (their version moves).</summary>
    public void Accepted(string source, string version, IEnumerable<string> changed, TimeSpan took)
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var type in changed)
        {
            _types[type] = new ResourceState(version, source, now) { LastRejection = _types.GetValueOrDefault(type)?.LastRejection };
        }

        Interlocked.Increment(ref _accepted);
        Interlocked.Exchange(ref _lastSuccessUnixMs, now.ToUnixTimeMilliseconds());
        _unobservedApplySeconds.Enqueue(took.TotalSeconds);
    }

    /// <summary>A config was refused: nothing changed; the reason is kept for <paramref name="types"/> (all by default).</summary>
    public void Rejected(string source, string version, string error, IEnumerable<string>? types = null)
    {
        var rejection = new Rejection(version, source, DateTimeOffset.UtcNow, error);
        foreach (var type in types ?? Types)
        {
            _types.AddOrUpdate(type, _ => new ResourceState("", "", default) { LastRejection = rejection }, (_, state) => state with { LastRejection = rejection });
        }

        Interlocked.Increment(ref _rejected);
    }

    /// <summary>Apply durations since the last call, for the metrics histogram.</summary>
    public IEnumerable<double> TakeApplySeconds()
    {
        while (_unobservedApplySeconds.TryDequeue(out var seconds))
        {
            yield return seconds;
        }
    }
}
