using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Harness;

/// <summary>Runs meshedge commands that are expected to exit by themselves (validate, version, bad configs).</summary>
internal static class MeshEdgeCli
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(20);

    public static async Task<CliResult> RunAsync(ITestOutputHelper output, params string[] arguments)
    {
        await using var process = ProxyProcess.Launch(arguments, output);
        var exitCode = await process.WaitForExitAsync(CommandTimeout);
        return new CliResult(
            exitCode,
            process.StdoutLines,
            process.StderrLines.Select(line => line.Raw).ToList(),
            process.Describe());
    }
}
