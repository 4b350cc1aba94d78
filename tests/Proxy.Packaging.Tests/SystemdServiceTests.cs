using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using MeshEdge.Packaging.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Packaging.Tests;

/// <summary>
/// The .deb's unit and maintainer scripts with systemd really running (in a systemd-nspawn container
/// on <see cref="RootSandbox"/>'s overlay of this machine): dpkg -i enables and starts the service, which
/// becomes active only once meshedge has sent READY=1, runs as the meshedge user with only
/// CAP_NET_BIND_SERVICE under seccomp, proxies, survives a package upgrade (reload = SIGHUP), and stops
/// cleanly on purge.
/// </summary>
public sealed partial class SystemdServiceTests(ITestOutputHelper output)
{
    private const string Config = "/etc/meshedge/meshedge.toml";

    [Fact]
    public async Task PackageStartsUpgradesAndPurgesTheServiceUnderSystemd()
    {
        HostTools.Ensure("systemd", "adduser", "init-system-helpers", "procps", "libssl3");
        await using var upstream = new PongServer();
        using var scratch = new ScratchDirectory();
        using var sandbox = RootSandbox.Create(output);
        var deb = sandbox.CopyIn(Dist.Deb("amd64"), "/root");
        var next = Command.Run(Dist.InRepo("packaging", "deb", "build-deb.sh"), [
            "--binary", Dist.Binary("linux-x64"), "--arch", "amd64", "--version", Dist.Version, "--release", "999", "--out", scratch.Path]);
        next.AssertSuccess("build the next revision of the .deb");
        var nextDeb = sandbox.CopyIn(next.Stdout.Trim(), "/root");
        // Pre-seeded configuration (as config management would do) listening on an ephemeral port:
        // the packaged default's 127.0.0.1:10000 belongs to the functional tests. --force-confold keeps it.
        sandbox.InRoot($"mkdir -p /etc/meshedge && cat > {Config} <<'EOF'\n{upstream.ProxyConfigToml()}\nEOF").AssertSuccess();
        // Machines built from container images often carry a policy-rc.d that forbids starting
        // services (exit 101), which deb-systemd-invoke, and so the postinst, obeys. A real host has none.
        sandbox.InRoot("rm -f /usr/sbin/policy-rc.d").AssertSuccess();

        using var container = sandbox.BootSystemd();

        // Fresh install with systemd up: postinst enables and starts the unit.
        container.Exec($"dpkg -i --force-confold {deb}", TimeSpan.FromMinutes(2)).AssertSuccess("dpkg -i under systemd");
        Assert.Equal("enabled", container.Exec("systemctl is-enabled meshedge").Stdout.Trim());
        var state = Properties(container, "ActiveState", "SubState", "MainPID", "NRestarts", "StatusText");
        Assert.True(state["ActiveState"] == "active", $"meshedge.service is not active after dpkg -i\n{container.Exec("systemctl status meshedge --no-pager")}");
        Assert.Equal("0", state["NRestarts"]);
        var mainPid = state["MainPID"];

        // Type=notify: systemd reports the service started only after READY=1, i.e. after the listener line.
        var address = ListenerAddress(container.Journal("meshedge"));
        await upstream.AssertProxiedAsync(address);

        // Hardening in force on the running process.
        var status = container.Exec($"cat /proc/{mainPid}/status").AssertSuccess().Stdout;
        Assert.Equal("meshedge", container.Exec($"ps -o user= -p {mainPid}").Stdout.Trim());
        Assert.Equal("0000000000000400", StatusField(status, "CapBnd")); // CAP_NET_BIND_SERVICE only
        Assert.Equal("0000000000000400", StatusField(status, "CapAmb"));
        Assert.Equal("1", StatusField(status, "NoNewPrivs"));
        Assert.Equal("2", StatusField(status, "Seccomp")); // filter mode: SystemCallFilter, MemoryDenyWriteExecute
        // LimitNOFILE=1048576, unless systemd itself is held lower: nspawn drops CAP_SYS_RESOURCE, so in
        // the container systemd cannot go above the hard limit the test machine gave it.
        var initHardLimit = long.Parse(container.Exec("awk '/Max open files/ {print $5}' /proc/1/limits").Stdout.Trim());
        var expectedLimit = Math.Min(1048576, initHardLimit);
        Assert.Equal(expectedLimit.ToString(CultureInfo.InvariantCulture), container.Exec($"awk '/Max open files/ {{print $4}}' /proc/{mainPid}/limits").Stdout.Trim());
        container.Exec("test -d /run/meshedge && test \"$(stat -c %U /run/meshedge)\" = meshedge").AssertSuccess("RuntimeDirectory /run/meshedge");
        var security = container.Exec("systemd-analyze security --no-pager meshedge.service");
        var exposure = ExposureLevel().Match(security.Stdout);
        Assert.True(exposure.Success, $"no exposure level in\n{security}");
        Assert.True(double.Parse(exposure.Groups[1].Value, CultureInfo.InvariantCulture) <= 3.0,
            $"systemd-analyze security rates the unit's exposure {exposure.Groups[1].Value} (more than 3.0)\n{security}");

        // Upgrade: postinst reloads (SIGHUP, the hot upgrade's trigger) instead of stopping the service.
        container.Exec($"dpkg -i --force-confold {nextDeb}", TimeSpan.FromMinutes(2)).AssertSuccess("dpkg -i of the next revision");
        // The reload is the hot upgrade: a new process takes the listeners over and becomes MainPID.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!container.Journal("meshedge").Contains("msg=\"upgrade complete\"", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.Contains("msg=\"upgrade complete\"", container.Journal("meshedge"));
        var afterUpgrade = Properties(container, "ActiveState", "MainPID");
        Assert.Equal("active", afterUpgrade["ActiveState"]);
        Assert.NotEqual(mainPid, afterUpgrade["MainPID"]);
        Assert.Equal("meshedge", container.Exec($"ps -o user= -p {afterUpgrade["MainPID"]}").Stdout.Trim());
        await upstream.AssertProxiedAsync(address);

        // Purge: prerm stops the service (a clean drain), postrm removes everything.
        container.Exec("dpkg --purge meshedge", TimeSpan.FromMinutes(2)).AssertSuccess("dpkg --purge under systemd");
        var journal = container.Journal("meshedge");
        Assert.Contains("msg=stopped", journal);
        Assert.DoesNotContain("level=error", journal);
        Assert.NotEqual(0, container.Exec("systemctl cat meshedge.service").ExitCode);
        Assert.NotEqual(0, container.Exec("getent passwd meshedge").ExitCode);
        container.Exec("test ! -e /etc/meshedge && test ! -e /var/lib/meshedge && test ! -e /usr/bin/meshedge").AssertSuccess("purge removed the files");
    }

    private static Dictionary<string, string> Properties(SystemdContainer container, params string[] names)
    {
        var shown = container.Exec($"systemctl show meshedge.service {string.Join(' ', names.Select(n => "-p " + n))}").AssertSuccess().Stdout;
        return shown.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('=', 2))
            .ToDictionary(parts => parts[0], parts => parts.Length > 1 ? parts[1] : "");
    }

    private static string StatusField(string status, string name) =>
        status.Split('\n').Select(line => line.Split(':', 2)).Where(parts => parts[0] == name).Select(parts => parts[1].Trim()).SingleOrDefault()
            ?? throw new Xunit.Sdk.XunitException($"no {name} in /proc/PID/status:\n{status}");

    private static IPEndPoint ListenerAddress(string journal)
    {
        var match = ListenerStarted().Matches(journal).LastOrDefault();
        Assert.True(match is not null, $"no \"listener started\" line in the journal:\n{journal}");
        return IPEndPoint.Parse(match.Groups[1].Value);
    }

    [GeneratedRegex(@"msg=""listener started"" .*\baddress=(\S+)")]
    private static partial Regex ListenerStarted();

    [GeneratedRegex(@"Overall exposure level for meshedge\.service: ([0-9.]+)")]
    private static partial Regex ExposureLevel();
}
