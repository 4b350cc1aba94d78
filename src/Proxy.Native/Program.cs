using MeshEdge.Config;
using MeshEdge.Native.Hosting;
using MeshEdge.Native.Runtime;

namespace MeshEdge.Native;

internal static class Program
{
    private const int ExitUsage = 2;
    private const string SystemConfigPath = "/etc/meshedge/meshedge.toml";

    private static int Main(string[] args)
    {
        var options = CommandLineParser.Parse(args, out var error);
        if (options is null)
        {
            Console.Error.WriteLine($"meshedge: {error}");
            Console.Error.WriteLine("Run 'meshedge --help' for usage.");
            return ExitUsage;
        }

        switch (options.Command)
        {
            case CliCommand.Help:
                Console.Out.WriteLine(CommandLineParser.Usage);
                return 0;
            case CliCommand.Version:
                Console.Out.WriteLine($"meshedge {BuildInfo.Version} (commit {BuildInfo.Commit})");
                return 0;
        }

        var loaded = LoadConfig(options.ConfigPath);
        if (options.Command == CliCommand.Validate && loaded.Translation is { } report)
        {
            TranslationReportWriter.Write(Console.Out, options.ConfigPath ?? "config", report);
        }

        if (!loaded.Succeeded)
        {
            foreach (var configError in loaded.Errors)
            {
                Console.Error.WriteLine(configError.ToString());
            }

            if (options.Upgrade)
            {
                UpgradeFailureReport.Send(string.Join("; ", loaded.Errors));
            }

            return ExitUsage;
        }

        var tls = Tls.TlsListenerContexts.Load(loaded.Config!, out var tlsErrors);
        Tls.TlsClientContexts.Load(loaded.Config!, tlsErrors);
        tlsErrors = [.. tlsErrors.Select(loaded.InSourcePaths)];
        if (tls is null || tlsErrors.Count > 0)
        {
            foreach (var tlsError in tlsErrors)
            {
                Console.Error.WriteLine(tlsError.ToString());
            }

            if (options.Upgrade)
            {
                UpgradeFailureReport.Send(string.Join("; ", tlsErrors));
            }

            return ExitUsage;
        }

        if (options.Command == CliCommand.Validate)
        {
            Console.Out.WriteLine($"{options.ConfigPath}: ok");
            return 0;
        }

        if (options.Command == CliCommand.Reload)
        {
            return ReloadCommand.Run(loaded.Config!, options.Admin);
        }

        var config = loaded.Config!;
        Log.Level = options.LogLevel ?? config.Runtime.LogLevel;
        if (loaded.Translation is { } translation)
        {
            TranslationReportWriter.Log(translation);
        }

        // Before any thread of ours exists, so that each inherits the lowered priority.
        ProcessPriority.Apply(config.Runtime.Priority);
        try
        {
            var workers = WorkerCount.Resolve(options.Workers ?? config.Runtime.Workers);
            return new ProxyHost(config, workers, args, options.Upgrade, tls).Run();
        }
        catch (Exception ex)
        {
            Log.Error("fatal", ("error", ex.Message), ("type", ex.GetType().Name));
            return ProxyHost.ExitStartFailure;
        }
    }

    /// <summary>-c FILE, else the system config if installed, else the embedded default.</summary>
    private static ConfigLoadResult LoadConfig(string? path)
    {
        if (path is not null)
        {
            return ConfigLoader.LoadFile(path);
        }

        if (File.Exists(SystemConfigPath))
        {
            return ConfigLoader.LoadFile(SystemConfigPath);
        }

        using var stream = typeof(Program).Assembly.GetManifestResourceStream("MeshEdge.default.toml")!;
        using var reader = new StreamReader(stream);
        return ConfigLoader.LoadToml(reader.ReadToEnd(), "<embedded default>");
    }
}
