using System.Diagnostics;
using System.Reflection;

namespace MeshEdge.Functional.Tests.Harness;

/// <summary>
/// A directory of Node peers under tests/interop (package.json + lock: sofa-rpc-node for Bolt,
/// @grpc/grpc-js for gRPC), named by the test assembly's metadata, and the one-time <c>npm ci</c>
/// (scripts/ensure-node-packages.sh) a fresh machine needs before its scripts run.
/// </summary>
internal sealed class NodeInterop
{
    private readonly Lazy<Task> _installed;

    public NodeInterop(string metadataKey)
    {
        Directory = Metadata(metadataKey);
        _installed = new Lazy<Task>(InstallAsync);
    }

    public string Directory { get; }

    /// <summary>Runs the install script once per test run (it does nothing when node_modules is current).</summary>
    public Task EnsureInstalledAsync() => _installed.Value;

    public ProcessStartInfo Node(string script, string argument)
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

    private async Task InstallAsync()
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
        var value = typeof(NodeInterop).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(attribute => attribute.Key == key)?.Value;
        return string.IsNullOrEmpty(value)
            ? throw new InvalidOperationException($"assembly metadata '{key}' is missing from the test project")
            : Path.GetFullPath(value);
    }
}
