using MeshEdge.Config.Model;

namespace MeshEdge.Native.Hosting;

internal enum CliCommand
{
    Run,
    Validate,
    Version,
    Help,
}

/// <summary>What the command line asked for; overrides beat the config file.</summary>
/// <param name="Upgrade">Take over the listening sockets of the instance running with the same config.</param>
internal sealed record CommandLineOptions(CliCommand Command, string? ConfigPath, int? Workers, LogLevel? LogLevel, bool Upgrade = false);
