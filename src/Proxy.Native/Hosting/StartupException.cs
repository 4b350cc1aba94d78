namespace MeshEdge.Native.Hosting;

/// <summary>Something the host needs before serving is missing (an access log it cannot open); logged, then exit 1.</summary>
internal sealed class StartupException(string message) : Exception(message)
{
    /// <summary>
    /// The problems as config errors without their file (key path and reason: a cluster's TLS files),
    /// so that a live change can name them in the words of the file it came from; empty otherwise.
    /// </summary>
    public IReadOnlyList<(string Path, string Reason)> Problems { get; init; } = [];
}
