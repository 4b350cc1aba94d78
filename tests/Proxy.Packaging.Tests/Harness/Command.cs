using System.Diagnostics;
using System.Text;

namespace MeshEdge.Packaging.Tests.Harness;

/// <summary>What a finished command did; <see cref="ToString"/> is the whole story for a failure message.</summary>
internal sealed record CommandResult(string CommandLine, int ExitCode, string Stdout, string Stderr)
{
    public string Output => Stdout + Stderr;

    public override string ToString() =>
        $"$ {CommandLine}\n(exit {ExitCode})\n{(Stdout.Length > 0 ? "--- stdout\n" + Stdout : "")}{(Stderr.Length > 0 ? "--- stderr\n" + Stderr : "")}";

    public CommandResult AssertSuccess(string? what = null)
    {
        Assert.True(ExitCode == 0, $"{what ?? "command"} failed\n{this}");
        return this;
    }
}

/// <summary>Runs host commands to completion with a deadline; a hang is killed and fails the test.</summary>
internal static class Command
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    /// <summary>A PATH with the sbin directories (dpkg, useradd, chroot live there), whatever the test host's PATH is.</summary>
    public const string SystemPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    public static CommandResult Run(string file, IEnumerable<string> arguments, TimeSpan? timeout = null, string? workingDirectory = null)
    {
        var startInfo = new ProcessStartInfo(file)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment["PATH"] = SystemPath + ":" + Environment.GetEnvironmentVariable("PATH");
        startInfo.Environment["LC_ALL"] = "C.UTF-8";
        startInfo.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        var commandLine = file + " " + string.Join(" ", startInfo.ArgumentList.Select(Quote));

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"cannot start {file}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var limit = timeout ?? DefaultTimeout;
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new Xunit.Sdk.XunitException($"$ {commandLine}\ndid not finish within {limit.TotalSeconds:0}s and was killed\n{stdout.Result}{stderr.Result}");
        }

        return new CommandResult(commandLine, process.ExitCode, stdout.Result, stderr.Result);
    }

    public static CommandResult Bash(string script, TimeSpan? timeout = null) => Run("/bin/bash", ["-c", script], timeout);

    /// <summary>Single-quotes <paramref name="text"/> for a POSIX shell.</summary>
    public static string Quote(string text) =>
        text.Length > 0 && text.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:@%+,".Contains(c))
            ? text
            : "'" + text.Replace("'", "'\\''") + "'";

    /// <summary>Reads a text file the way a failure message wants it: all of it, or a note that it is missing.</summary>
    public static string Describe(string path) =>
        File.Exists(path) ? new StringBuilder().Append("--- ").AppendLine(path).Append(File.ReadAllText(path)).ToString() : $"({path} does not exist)";
}
