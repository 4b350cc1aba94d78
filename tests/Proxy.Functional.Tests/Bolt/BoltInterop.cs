using System.Diagnostics;
using System.Reflection;

namespace MeshEdge.Functional.Tests.Bolt;

/// <summary>
/// Where the Node peers live (tests/interop/bolt: sofa-rpc-node and sofa-bolt-node, the SOFA team's
/// own implementations) and the one-time <c>npm ci</c> that a fresh machine needs before they run.
/// </summary>
internal static class BoltInterop
{
    private static readonly Lazy<Task> Installed = new(InstallAsync);

    public static string Directory { get; } = Metadata("BoltInteropDirectory");

    /// <summary>Runs scripts/ensure-node-packages.sh once per test run (it does nothing when node_modules is current).</summary>
    public static Task EnsureInstalledAsync() => Installed.Value;

    public static ProcessStartInfo Node(string script, string argument)
    {
        var start = new ProcessStartInfo("node")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Directory,
        };
        start.ArgumentList.Add(Path.Combine(Directory, script));
        start.ArgumentList.Add(argument);
        return start;
    }

    private static async Task InstallAsync()
    {
        var start = new ProcessStartInfo(Metadata("NodePackagesScript"))
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        start.ArgumentList.Add(Directory);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"npm packages for {Directory} could not be installed (exit {process.ExitCode}):\n{await stdout}\n{await stderr}");
        }
    }

    private static string Metadata(string key)
    {
        var value = typeof(BoltInterop).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(attribute => attribute.Key == key)?.Value;
        return string.IsNullOrEmpty(value)
            ? throw new InvalidOperationException($"assembly metadata '{key}' is missing from the test project")
            : Path.GetFullPath(value);
    }
}
