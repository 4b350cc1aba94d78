using System.Text.RegularExpressions;
using MeshEdge.Packaging.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Packaging.Tests;

/// <summary>
/// systemd is not PID 1 on the test machines, so the unit's riskiest hardening is checked against the
/// binary directly: MemoryDenyWriteExecute= through the kernel's equivalent (PR_SET_MDWE), and
/// SystemCallFilter= by tracing every system call meshedge makes while it starts, serves everything
/// it serves in production (see ServiceHardeningTests.Traffic.cs), hands over to a successor on
/// SIGHUP, and drains.
/// </summary>
public sealed partial class ServiceHardeningTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ProxiesWithWriteExecuteMemoryDenied()
    {
        HostTools.Ensure("clang");
        using var scratch = new ScratchDirectory();
        var launcher = Path.Combine(scratch.Path, "mdwe-exec");
        Command.Run("clang", ["-O2", "-Wall", "-Werror", "-o", launcher, Path.Combine(Dist.RepoRoot, "tests", "Proxy.Packaging.Tests", "Native", "mdwe-exec.c")])
            .AssertSuccess("compile mdwe-exec");
        // The policy must really be on, or the check below proves nothing.
        Command.Run(launcher, ["--self-test"]).AssertSuccess("PR_SET_MDWE refuses a writable+executable mapping");

        await using var upstream = new PongServer();
        var config = scratch.Write("meshedge.toml", upstream.ProxyConfigToml());
        var (proxy, address) = await ProxyUnderTest.StartAsync(output, launcher, Dist.Binary("linux-x64"), "run", "-c", config);
        using (proxy)
        {
            await upstream.AssertProxiedAsync(address);
            Assert.Equal(0, await proxy.StopAsync());
        }
    }

    [Fact]
    public async Task MakesOnlySystemCallsTheUnitsFilterAllows()
    {
        HostTools.Ensure("strace", "systemd");
        // systemd's semantics: the first SystemCallFilter= without "~" is the allow list; "~" lines take away.
        var unit = File.ReadAllText(Dist.InRepo("packaging", "common", "meshedge.service"));
        var settings = FilterSetting().Matches(unit).Select(m => m.Groups[1].Value.Trim()).ToList();
        Assert.True(settings.Count > 0 && !settings[0].StartsWith('~'), "meshedge.service has no SystemCallFilter= allow list");
        var allowed = ExpandFilter(settings.Where(s => !s.StartsWith('~')).SelectMany(s => s.Split(' ', StringSplitOptions.RemoveEmptyEntries)));
        allowed.ExceptWith(ExpandFilter(settings.Where(s => s.StartsWith('~')).SelectMany(s => s[1..].Split(' ', StringSplitOptions.RemoveEmptyEntries))));
        var filterText = string.Join(" | ", settings);

        using var scratch = new ScratchDirectory();
        await using var pong = new PongServer();
        await using var web = new HttpUpstream();
        await using var rpc = new BoltUpstream();
        var handoff = Directory.CreateDirectory(Path.Combine(scratch.Path, "run")).FullName;
        var config = scratch.Write("meshedge.toml", TracedConfigToml(handoff, pong, web, rpc));
        var trace = Path.Combine(scratch.Path, "strace.txt");
        // -f follows the workers' threads, the resolver's and the SIGHUP successor (a child of meshedge).
        var (proxy, _) = await ProxyUnderTest.StartAsync(output, "strace", "-f", "-qq", "-o", trace, Dist.Binary("linux-x64"), "run", "-c", config);
        int successor;
        using (proxy)
        {
            // The traced meshedge is strace's child: its pid opens the trace (the execve line).
            var meshedgePid = int.Parse(File.ReadLines(trace).First().Split(' ', 2)[0]);
            successor = await ExerciseEverythingAsync(proxy, meshedgePid, pong, web, rpc, () => HostsFileReads(trace));
            Assert.Equal(0, Libc.Kill(successor, Libc.SigTerm));
            await proxy.WaitForLogAsync("stopped", Patience, line => line.GetValueOrDefault("pid") == $"{successor}");
            // strace exits once every traced process has, with the first one's exit code.
            Assert.Equal(0, await proxy.WaitForExitAsync(Patience));
        }

        var successorCalls = File.ReadLines(trace).Count(line => line.StartsWith($"{successor} ", StringComparison.Ordinal));
        Assert.True(successorCalls > 100, $"the trace holds only {successorCalls} lines of the successor (pid {successor}): strace did not follow the hand-off");
        var used = File.ReadLines(trace)
            .Select(line => SystemCallName().Match(line))
            .Where(match => match.Success)
            .Select(match => match.Groups[1].Value)
            .ToHashSet();
        output.WriteLine($"traced system calls: {string.Join(' ', used.Order())}");
        Assert.True(used.Count > 20, $"the trace looks empty: {string.Join(' ', used)}");
        var denied = used.Where(name => !allowed.Contains(name)).Order().ToList();
        Assert.True(denied.Count == 0, $"meshedge calls {string.Join(", ", denied)}, which SystemCallFilter= ({filterText}) would refuse (EPERM)");
    }

    /// <summary>
    /// How often the trace so far shows /etc/hosts opened: once per lookup of the strict_dns cluster's
    /// name, as the system resolver (nsswitch "files") reads it afresh each time.
    /// </summary>
    private static int HostsFileReads(string trace)
    {
        using var reader = new StreamReader(new FileStream(trace, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        var count = 0;
        while (reader.ReadLine() is { } line)
        {
            count += line.Contains("\"/etc/hosts\"", StringComparison.Ordinal) ? 1 : 0;
        }

        return count;
    }

    /// <summary>Expands @groups recursively with systemd's own table (`systemd-analyze syscall-filter`).</summary>
    private static HashSet<string> ExpandFilter(IEnumerable<string> entries)
    {
        var table = Command.Run("systemd-analyze", ["syscall-filter", "--no-pager"]).AssertSuccess("systemd-analyze syscall-filter").Stdout;
        var groups = new Dictionary<string, List<string>>();
        List<string>? current = null;
        foreach (var raw in table.Split('\n'))
        {
            var line = raw.Trim();
            if (raw.StartsWith('@'))
            {
                groups[line.Split(' ')[0]] = current = [];
            }
            else if (current is not null && line.Length > 0 && !line.StartsWith('#'))
            {
                current.Add(line);
            }
        }

        var allowed = new HashSet<string>();
        void Add(string entry)
        {
            if (!entry.StartsWith('@'))
            {
                allowed.Add(entry);
            }
            else if (groups.TryGetValue(entry, out var members))
            {
                foreach (var member in members)
                {
                    Add(member);
                }
            }
        }

        foreach (var entry in entries)
        {
            Add(entry);
        }

        return allowed;
    }

    [GeneratedRegex(@"^SystemCallFilter=(.+)$", RegexOptions.Multiline)]
    private static partial Regex FilterSetting();

    /// <summary>"1234 name(args" or "1234 &lt;... name resumed&gt;"; signals and exits have no call name.</summary>
    [GeneratedRegex(@"^\d+\s+(?:<\.\.\.\s+)?([a-z_0-9]+)(?:\(| resumed>)")]
    private static partial Regex SystemCallName();
}
