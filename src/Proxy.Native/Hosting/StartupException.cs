namespace MeshEdge.Native.Hosting;

/// <summary>Something the host needs before serving is missing (an access log it cannot open); logged, then exit 1.</summary>
internal sealed class StartupException(string message) : Exception(message);
