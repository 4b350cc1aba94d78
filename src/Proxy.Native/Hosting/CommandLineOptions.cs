using MeshEdge.Config.Model;

namespace MeshEdge.Native.Hosting;

internal enum CliCommand
{
    Run,
    Validate,
    Reload,
    Version,
    Help,
}

/// <summary>What the command line asked for; overrides beat the config file.</summary>
/// <param name="Upgrade">Take over the listening sockets of the instance running with the same config.</param>
/// <param name="Admin">reload: the admin API's address, when the config's says port 0 or a wildcard.</param>
internal sealed record CommandLineOptions(CliCommand Command, string? ConfigPath, int? Workers, LogLevel? LogLevel, bool Upgrade = false, System.Net.IPEndPoint? Admin = null);
