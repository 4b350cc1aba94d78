using MeshEdge.Config.Model;
using MeshEdge.Config.Tree;
using MeshEdge.Config.Values;

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

    private static readonly (string Name, RuntimePriority Value)[] Priorities =
    [
        ("normal", RuntimePriority.Normal),
        ("low", RuntimePriority.Low),
    ];

    private static readonly (string Name, RuntimeMode Value)[] Modes =
    [
        ("active", RuntimeMode.Active),
        ("standby", RuntimeMode.Standby),
    ];

    public static RuntimeConfig Bind(ConfigTable table, string path, ConfigErrorList errors)
    {
        var defaults = RuntimeConfig.Default;
        var reader = new TableReader(table, path, errors);
        var workers = reader.Int("workers", defaults.Workers, 0, ConfigDefaults.MaxWorkers);
        var logLevel = reader.Choice("log_level", defaults.LogLevel, "log level", LogLevels);
        var drainTimeout = reader.Duration("drain_timeout", defaults.DrainTimeout, allowZero: true);
        var udsDir = BindUdsDir(reader) ?? defaults.UdsDir;
        var instance = BindInstance(reader);
        var busyPoll = BindBusyPoll(reader);
        var priority = reader.Choice("priority", defaults.Priority, "priority", Priorities);
        var memoryBudget = reader.LargeByteSize("memory_budget", RuntimeConfig.MinMemoryBudget, long.MaxValue);
        var mode = reader.Choice("mode", defaults.Mode, "mode", Modes);
        var idleTrimAfter = reader.Duration("idle_trim_after", defaults.IdleTrimAfter, allowZero: true);
        var overload = reader.OptionalTableReader("overload") is { } overloadReader ? OverloadBinder.Bind(overloadReader) : defaults.Overload;
        reader.ReportUnknownKeys();
        return new RuntimeConfig(workers, logLevel, drainTimeout, udsDir, instance, busyPoll, priority, memoryBudget)
        {
            Mode = mode,
            Overload = overload,
            IdleTrimAfter = idleTrimAfter,
        };
    }

    /// <summary>An absolute directory short enough that the socket path inside it fits in sun_path.</summary>
    private static string? BindUdsDir(TableReader reader)
    {
        const string Key = "uds_dir";
        if (reader.Find(Key) is not { } node || !NodeConverter.TryString(node, reader.ChildPath(Key), reader.Errors, out var dir))
        {
            return null;
        }

        var reason = UdsPaths.CheckDirectory(dir);
        if (reason is not null)
        {
            reader.Errors.Add(reader.ChildPath(Key), reader.Table.PositionOf(Key), $"{ConfigScalar.Quote(dir)} {reason}");
            return null;
        }

        return dir.Length > 1 ? dir.TrimEnd('/') : dir;
    }

    private static TimeSpan BindBusyPoll(TableReader reader)
    {
        const string Key = "busy_poll";
        var value = reader.Duration(Key, TimeSpan.Zero, allowZero: true);
        if (value <= RuntimeConfig.MaxBusyPoll)
        {
            return value;
        }

        reader.Errors.Add(reader.ChildPath(Key), reader.Table.PositionOf(Key),
            $"{value.TotalMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}ms is more than the {RuntimeConfig.MaxBusyPoll.TotalMilliseconds}ms a worker may poll without sleeping");
        return TimeSpan.Zero;
    }

    private static string? BindInstance(TableReader reader)
    {
        const string Key = "instance";
        if (reader.Find(Key) is not { } node || !NodeConverter.TryString(node, reader.ChildPath(Key), reader.Errors, out var name))
        {
            return null;
        }

        if (!ConfigNames.IsValid(name) || name.Length > UdsPaths.MaxInstanceLength)
        {
            reader.Errors.Add(reader.ChildPath(Key), reader.Table.PositionOf(Key),
                $"{ConfigScalar.Quote(name)} is not a valid instance name ({ConfigNames.Rule}; at most {UdsPaths.MaxInstanceLength} characters)");
            return null;
        }

        return name;
    }
}
