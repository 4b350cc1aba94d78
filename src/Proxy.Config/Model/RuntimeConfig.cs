namespace MeshEdge.Config.Model;

/// <summary>Process-wide settings: workers, logging and shutdown.</summary>
/// <param name="Workers">Worker threads; 0 means automatic (cgroup CPU quota, else core count).</param>
/// <param name="DrainTimeout">How long SIGTERM lets open connections finish before exit.</param>
public sealed record RuntimeConfig(int Workers, LogLevel LogLevel, TimeSpan DrainTimeout)
{
    public static readonly RuntimeConfig Default = new(0, LogLevel.Info, TimeSpan.FromSeconds(30));
}
