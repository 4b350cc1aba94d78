using MeshEdge.Config.Model;
using MeshEdge.Config.Tree;

namespace MeshEdge.Config.Binding;

/// <summary>Binds the optional <c>[runtime]</c> table.</summary>
internal static class RuntimeBinder
{
    private static readonly (string Name, LogLevel Value)[] LogLevels =
    [
        ("trace", LogLevel.Trace),
        ("debug", LogLevel.Debug),
        ("info", LogLevel.Info),
        ("warn", LogLevel.Warn),
        ("error", LogLevel.Error),
    ];

    public static RuntimeConfig Bind(ConfigTable table, string path, ConfigErrorList errors)
    {
        var defaults = RuntimeConfig.Default;
        var reader = new TableReader(table, path, errors);
        var workers = reader.Int("workers", defaults.Workers, 0, ConfigDefaults.MaxWorkers);
        var logLevel = reader.Choice("log_level", defaults.LogLevel, "log level", LogLevels);
        var drainTimeout = reader.Duration("drain_timeout", defaults.DrainTimeout, allowZero: true);
        reader.ReportUnknownKeys();
        return new RuntimeConfig(workers, logLevel, drainTimeout);
    }
}
