using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Xunit.Abstractions;

namespace MeshEdge.Packaging.Tests.Harness;

/// <summary>
/// The test machine's own root filesystem, seen through a copy-on-write overlay in a private mount
/// namespace: packages are installed with the machine's real dpkg, rpm, adduser and systemd tools,
/// but every change lands in a tmpfs upper layer that vanishes with the namespace. So an install can
/// never leak onto the machine (or into the functional tests, which need /etc/meshedge to be absent),
/// a crashed test leaves nothing behind, and "purge leaves nothing" is checked on the upper layer.
/// <para>
/// One long-lived <c>unshare --mount</c> shell holds the namespace; each command runs in a subshell
/// of it, with <c>$ROOT</c> (the overlay, chrooted into by <see cref="InRoot"/>) and <c>$UPPER</c> (the
/// changes) set. /dev, /proc and /sys are the host's; /run and /tmp are fresh and empty, so, as on the
/// host, systemd does not appear to be running.
/// </para>
/// </summary>
internal sealed class RootSandbox : IDisposable
{
    private const string Marker = "__MESHEDGE_SANDBOX_COMMAND_DONE__";
    private readonly Process _shell;
    private readonly string _hostDirectory;
    private readonly ITestOutputHelper _output;
    private readonly BlockingCollection<string> _lines = [];
    private readonly StringBuilder _shellStderr = new();

    private RootSandbox(Process shell, string hostDirectory, ITestOutputHelper output)
    {
        _shell = shell;
        _hostDirectory = hostDirectory;
        _output = output;
        shell.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _lines.CompleteAdding();
            }
            else
            {
                _lines.Add(e.Data);
            }
        };
        shell.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_shellStderr)
                {
                    _shellStderr.AppendLine(e.Data);
                }
            }
        };
        shell.BeginOutputReadLine();
        shell.BeginErrorReadLine();
    }

    public static RootSandbox Create(ITestOutputHelper output)
    {
        HostTools.RequireRoot();
        var hostDirectory = System.IO.Directory.CreateTempSubdirectory("meshedge-sandbox-").FullName;
        var startInfo = new ProcessStartInfo("unshare")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in (string[])["--mount", "--propagation", "private", "--fork", "--", "/bin/bash", "--noprofile", "--norc"])
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment["PATH"] = Command.SystemPath;
        var shell = Process.Start(startInfo) ?? throw new InvalidOperationException("cannot start unshare");
        var sandbox = new RootSandbox(shell, hostDirectory, output);
        try
        {
            // The upper layer must live on another filesystem than the lower one (/), or overlayfs
            // refuses the overlapping layers: a tmpfs private to the namespace.
            var setup = sandbox.Host($"""
                set -u
                S={Command.Quote(hostDirectory)}
                mount -t tmpfs -o mode=0755 meshedge-sandbox "$S"
                mkdir "$S/upper" "$S/work" "$S/root"
                mount -t overlay meshedge-sandbox -o lowerdir=/,upperdir="$S/upper",workdir="$S/work" "$S/root"
                for d in dev proc sys; do mount --rbind "/$d" "$S/root/$d"; done
                mount -t tmpfs -o mode=0755 tmpfs "$S/root/run"
                mount -t tmpfs -o mode=1777 tmpfs "$S/root/tmp"
                # Without this flag man-db's dpkg trigger skips rebuilding its index: seconds per dpkg run.
                rm -f "$S/root/var/lib/man-db/auto-update"
                """);
            Assert.True(setup.ExitCode == 0, $"cannot set up the overlay root (these tests need root and permission to mount)\n{setup}");
            sandbox.Export("SANDBOX", hostDirectory);
            sandbox.Export("ROOT", hostDirectory + "/root");
            sandbox.Export("UPPER", hostDirectory + "/upper");
            return sandbox;
        }
        catch
        {
            sandbox.Dispose();
            throw;
        }
    }

    /// <summary>Runs a bash script inside the namespace but outside the chroot ($ROOT and $UPPER are set).</summary>
    public CommandResult Host(string script, TimeSpan? timeout = null)
    {
        var limit = timeout ?? Command.DefaultTimeout;
        var clock = Stopwatch.StartNew();
        _shell.StandardInput.Write($"(\n{script}\n) </dev/null 2>&1\nprintf '\\n{Marker} %d\\n' \"$?\"\n");
        _shell.StandardInput.Flush();
        var lines = new List<string>();
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !_lines.TryTake(out var line, left))
            {
                var why = _lines.IsCompleted ? "the sandbox shell ended" : $"no result within {limit.TotalSeconds:0}s";
                throw new Xunit.Sdk.XunitException($"sandbox: {why}\n$ {script}\n{string.Join("\n", lines)}\n{ShellStderr()}");
            }

            if (line.StartsWith(Marker, StringComparison.Ordinal))
            {
                if (lines.Count > 0 && lines[^1].Length == 0)
                {
                    lines.RemoveAt(lines.Count - 1);
                }

                var exitCode = int.Parse(line.AsSpan(Marker.Length + 1), System.Globalization.CultureInfo.InvariantCulture);
                var text = lines.Count == 0 ? "" : string.Join("\n", lines) + "\n";
                var result = new CommandResult(script.Trim(), exitCode, text, "");
                _output.WriteLine($"[{clock.Elapsed.TotalSeconds:0.0} s] {result}");
                return result;
            }

            lines.Add(line);
        }
    }

    /// <summary>Runs a POSIX shell script chrooted into the overlay, with a clean environment.</summary>
    public CommandResult InRoot(string script, TimeSpan? timeout = null) =>
        Host($"chroot \"$ROOT\" /usr/bin/env -i PATH={Command.SystemPath} HOME=/root LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive /bin/sh -c {Command.Quote(script)}", timeout);

    /// <summary>Copies a host file into the overlay (its /tmp unless told otherwise) and returns its path as seen inside.</summary>
    public string CopyIn(string hostPath, string directory = "/tmp")
    {
        var inside = directory.TrimEnd('/') + "/" + Path.GetFileName(hostPath);
        Host($"cp {Command.Quote(hostPath)} \"$ROOT\"{Command.Quote(inside)}").AssertSuccess($"copy {hostPath} into the sandbox");
        return inside;
    }

    /// <summary>
    /// Boots systemd as PID 1 of a container on the overlay (systemd-nspawn, sharing this machine's
    /// network, so loopback servers of the test are reachable). The overlay keeps its changes across the
    /// boot; while the container runs, use <see cref="SystemdContainer.Exec"/> rather than <see cref="InRoot"/>.
    /// </summary>
    public SystemdContainer BootSystemd() => SystemdContainer.Boot(this);

    /// <summary>Asserts that no path in the overlay holds a file, directory or link, listing any that does.</summary>
    public void AssertAbsent(params string[] paths)
    {
        var tests = string.Join(" ", paths.Select(p => $"if [ -e {Command.Quote(p)} ] || [ -L {Command.Quote(p)} ]; then echo \"left: {p}\"; fi;"));
        var result = InRoot(tests);
        Assert.True(result.ExitCode == 0 && result.Stdout.Length == 0, $"expected to be gone:\n{result}");
    }

    public void Dispose()
    {
        try
        {
            if (!_shell.HasExited)
            {
                _shell.StandardInput.WriteLine("exit 0");
                _shell.StandardInput.Close();
                if (!_shell.WaitForExit(TimeSpan.FromSeconds(20)))
                {
                    _shell.Kill(entireProcessTree: true);
                    _shell.WaitForExit();
                }
            }
        }
        finally
        {
            _shell.Dispose();
            // The tmpfs was mounted in the private namespace only: on the host the directory is empty.
            // Never delete recursively here; an unexpected file is left for a human to look at.
            try
            {
                System.IO.Directory.Delete(_hostDirectory, recursive: false);
            }
            catch (IOException error)
            {
                _output.WriteLine($"sandbox: left {_hostDirectory} in place: {error.Message}");
            }
        }
    }

    /// <summary>Sets a variable in the long-lived shell itself (commands run in subshells of it).</summary>
    private void Export(string name, string value)
    {
        _shell.StandardInput.Write($"export {name}={Command.Quote(value)}\n");
        _shell.StandardInput.Flush();
    }

    private string ShellStderr()
    {
        lock (_shellStderr)
        {
            return _shellStderr.Length == 0 ? "" : "--- sandbox shell stderr\n" + _shellStderr;
        }
    }
}
