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
internal sealed record CommandLineOptions(CliCommand Command, string? ConfigPath, int? Workers, LogLevel? LogLevel);
