namespace MeshEdge.Config.Model;

/// <summary>Process-wide settings: workers, logging, shutdown and the hot upgrade's hand-off socket.</summary>
/// <param name="Workers">Worker threads; 0 means automatic (cgroup CPU quota, else core count).</param>
/// <param name="DrainTimeout">How long SIGTERM (or an upgrade) lets open connections finish before exit.</param>
/// <param name="UdsDir">Directory of the hand-off Unix socket; when it cannot be created or written,
/// the host falls back to <c>$XDG_RUNTIME_DIR/meshedge</c>, then <c>/tmp/meshedge-UID</c>.</param>
/// <param name="Instance">Names the hand-off socket (<c>meshedge-INSTANCE.sock</c>); null derives a
/// name from the absolute config path, so two instances with different configs never collide.</param>
/// <param name="BusyPoll">How long a worker keeps polling without sleeping after its last event (0: it
/// sleeps at once). Saves the wake-up a sleeping worker costs both sides at the price of CPU; off by
/// default, since a sidecar should leave spare cycles to the application beside it.</param>
/// <param name="Priority">Normal leaves the process's nice and oom_score_adj alone; low raises both
/// at start, before the workers exist, so the sidecar gives way to the application.</param>
/// <param name="MemoryBudget">Bytes of pooled buffer memory the process may hold; null derives it from
/// the cgroup's memory limit (a quarter of it), or leaves it unbounded when there is none.</param>
public sealed record RuntimeConfig(
    int Workers,
    LogLevel LogLevel,
    TimeSpan DrainTimeout,
    string UdsDir = RuntimeConfig.DefaultUdsDir,
    string? Instance = null,
    TimeSpan BusyPoll = default,
    RuntimePriority Priority = RuntimePriority.Normal,
    long? MemoryBudget = null)
{
    public const string DefaultUdsDir = "/run/meshedge";

    /// <summary>Longer spins buy nothing a shorter one does not, and only burn the core.</summary>
    public static readonly TimeSpan MaxBusyPoll = TimeSpan.FromMilliseconds(10);

    /// <summary>Sixteen 16 KiB buffer blocks: less could not hold one request and its response.</summary>
    public const long MinMemoryBudget = 256 * 1024;

    /// <summary><c>runtime.mode</c>: the mode the process starts in (switchable at run time).</summary>
    public RuntimeMode Mode { get; init; } = RuntimeMode.Active;

    /// <summary>
    /// <c>runtime.idle_trim_after</c>: after this long without a new connection or a byte received, the
    /// process gives memory back (the executable's start-up pages, the managed heap's free space, the
    /// pools' cached pages); the first time after start already after a second's quiet. Zero: never.
    /// </summary>
    public TimeSpan IdleTrimAfter { get; init; } = DefaultIdleTrimAfter;

    public static readonly TimeSpan DefaultIdleTrimAfter = TimeSpan.FromSeconds(30);

    /// <summary><c>[runtime.overload]</c>: the staged overload actions' thresholds.</summary>
    public OverloadThresholds Overload { get; init; } = OverloadThresholds.Default;

    public static readonly RuntimeConfig Default = new(0, LogLevel.Info, TimeSpan.FromSeconds(30));
}
