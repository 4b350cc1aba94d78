using MeshEdge.Config.Model;

namespace MeshEdge.Native.Hosting;

/// <summary>Parses <c>meshedge [run|validate|reload|version|help] [-c FILE] [--workers N] [--log-level L] [--upgrade]</c>.</summary>
internal static class CommandLineParser
{
    public const string Usage = """
        Usage: meshedge [command] [options]

        Commands:
          run           start the proxy (the default command)
          validate      check a configuration file and exit (0 = valid, 2 = invalid)
          reload        ask the meshedge running with this config to reread it and apply it
                        live (through its admin API's POST /reload); prints the outcome,
                        exit 0 = applied, 1 = refused or unreachable, 2 = invalid here
          version       print the version and commit
          help          print this text

        Options:
          -c, --config FILE      configuration file (.toml or .json); default:
                                 /etc/meshedge/meshedge.toml if present, else the embedded default
          --workers N            worker threads (overrides runtime.workers; 0 = automatic)
          --log-level LEVEL      trace, debug, info, warn or error (overrides runtime.log_level)
          --upgrade              take over the listening sockets of the meshedge running with the
                                 same config (hot upgrade); without one, start normally
          --admin HOST:PORT      reload: the running process's admin API (default: [admin] address
                                 of the config; needed when that says port 0)
          -h, --help             print this text

        Signals: SIGTERM or SIGINT stop accepting, let open connections finish for up to
        runtime.drain_timeout, then exit 0. Editing the config file applies it live (watched;
        or meshedge reload, or POST /reload). SIGHUP starts a hot upgrade: the binary at the same
        path is started with the same arguments plus --upgrade, takes over every listening
        socket, and this process drains as on SIGTERM. If the new process fails, this one keeps
        serving and logs "upgrade failed".
        """;

    /// <summary>Returns the options, or null with a reason for a usage error.</summary>
    public static CommandLineOptions? Parse(string[] args, out string? error)
    {
        error = null;
        var command = CliCommand.Run;
        string? config = null;
        int? workers = null;
        LogLevel? level = null;
        var upgrade = false;
        System.Net.IPEndPoint? admin = null;
        var index = 0;
        if (args.Length > 0 && !args[0].StartsWith('-'))
        {
            switch (args[0])
            {
                case "run":
                    command = CliCommand.Run;
                    break;
                case "validate":
                    command = CliCommand.Validate;
                    break;
                case "reload":
                    command = CliCommand.Reload;
                    break;
                case "version":
                    command = CliCommand.Version;
                    break;
                case "help":
                    command = CliCommand.Help;
                    break;
                default:
                    error = $"unknown command \"{args[0]}\"";
                    return null;
            }

            index = 1;
        }

        for (; index < args.Length; index++)
        {
            var arg = args[index];
            switch (arg)
            {
                case "-h" or "--help":
                    command = CliCommand.Help;
                    break;
                case "--upgrade":
                    upgrade = true;
                    break;
                case "-c" or "--config":
                    if (!TryValue(args, ref index, out config, out error))
                    {
                        return null;
                    }

                    break;
                case "--admin":
                    if (!TryValue(args, ref index, out var adminText, out error))
                    {
                        return null;
                    }

                    if (!System.Net.IPEndPoint.TryParse(adminText!, out admin) || admin.Port == 0)
                    {
                        error = $"--admin: \"{adminText}\" is not an address with a port (HOST:PORT)";
                        return null;
                    }

                    break;
                case "--workers":
                    if (!TryValue(args, ref index, out var text, out error))
                    {
                        return null;
                    }

                    if (!int.TryParse(text, out var count) || count < 0 || count > 1024)
                    {
                        error = $"--workers: \"{text}\" is not a number from 0 to 1024";
                        return null;
                    }

                    workers = count;
                    break;
                case "--log-level":
                    if (!TryValue(args, ref index, out var name, out error))
                    {
                        return null;
                    }

                    if (!TryParseLevel(name!, out var parsed))
                    {
                        error = $"--log-level: \"{name}\" is not one of trace, debug, info, warn, error";
                        return null;
                    }

                    level = parsed;
                    break;
                default:
                    error = $"unknown option \"{arg}\"";
                    return null;
            }
        }

        if (command == CliCommand.Validate && config is null)
        {
            error = "validate needs -c FILE";
            return null;
        }

        if (command == CliCommand.Reload && config is null)
        {
            error = "reload needs -c FILE (the running process's config, which names its admin address)";
            return null;
        }

        if (upgrade && command != CliCommand.Run)
        {
            error = "--upgrade only goes with run";
            return null;
        }

        if (admin is not null && command != CliCommand.Reload)
        {
            error = "--admin only goes with reload";
            return null;
        }

        return new CommandLineOptions(command, config, workers, level, upgrade, admin);
    }

    private static bool TryValue(string[] args, ref int index, out string? value, out string? error)
    {
        if (index + 1 >= args.Length)
        {
            value = null;
            error = $"{args[index]} needs a value";
            return false;
        }

        value = args[++index];
        error = null;
        return true;
    }

    private static bool TryParseLevel(string name, out LogLevel level)
    {
        (var ok, level) = name switch
        {
            "trace" => (true, LogLevel.Trace),
            "debug" => (true, LogLevel.Debug),
            "info" => (true, LogLevel.Info),
            "warn" => (true, LogLevel.Warn),
            "error" => (true, LogLevel.Error),
            _ => (false, LogLevel.Info),
        };
        return ok;
    }
}
