using System.Diagnostics;

namespace MeshEdge.Functional.Tests.Harness;

/// <summary>Runs a command-line peer (curl, wrk) to completion with a liveness deadline and keeps its output.</summary>
internal sealed record ToolRun(int ExitCode, string Stdout, string Stderr)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <param name="closeInput">Give the tool an empty stdin (an interactive one, like openssl s_client, ends at its EOF).</param>
    public static async Task<ToolRun> RunAsync(string file, IEnumerable<string> arguments, TimeSpan? timeout = null, bool closeInput = false)
    {
        var startInfo = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = closeInput };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"could not start {file}");
        if (closeInput)
        {
            process.StandardInput.Close();
        }

        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            // The whole tree: a script such as testssl leaves its openssl children running otherwise.
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{file} {string.Join(" ", arguments)} did not finish within {(timeout ?? DefaultTimeout).TotalSeconds}s");
        }

        return new ToolRun(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>curl with -sS and a generous --max-time; the caller adds the rest.</summary>
    public static Task<ToolRun> CurlAsync(params string[] arguments) =>
        RunAsync("curl", ["-sS", "--max-time", "45", .. arguments]);

    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}
