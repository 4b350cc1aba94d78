using MeshEdge.Packaging.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Packaging.Tests;

/// <summary>
/// The .deb as a Debian admin meets it: dpkg -i on this machine (through <see cref="RootSandbox"/>'s
/// overlay, so nothing leaks), the installed config validates, the unit verifies, an upgrade keeps a
/// local edit, and dpkg --purge leaves nothing behind. Plus lintian on both architectures.
/// </summary>
public sealed class DebianPackageTests(ITestOutputHelper output)
{
    private const string Unit = "/lib/systemd/system/meshedge.service";
    private const string Config = "/etc/meshedge/meshedge.toml";

    [Theory]
    [InlineData("amd64")]
    [InlineData("arm64")]
    public void LintianReportsNoErrors(string arch)
    {
        HostTools.Ensure("lintian");
        var lintian = Command.Run("lintian", ["--fail-on", "error", "--display-level", ">=warning", Dist.Deb(arch)], TimeSpan.FromMinutes(3));
        output.WriteLine(lintian.ToString());
        var errors = lintian.Stdout.Split('\n').Where(line => line.StartsWith("E: ", StringComparison.Ordinal)).ToList();
        Assert.True(lintian.ExitCode == 0 && errors.Count == 0, $"lintian found errors in {Path.GetFileName(Dist.Deb(arch))}\n{lintian}");
    }

    /// <summary>TLS loads libssl with dlopen (so dpkg-shlibdeps could not see it): the package asks for it by name.</summary>
    [Theory]
    [InlineData("amd64")]
    [InlineData("arm64")]
    public void DependsOnGlibcAndOpenSsl3(string arch)
    {
        var depends = Command.Run("dpkg-deb", ["-f", Dist.Deb(arch), "Depends"]).AssertSuccess("dpkg-deb -f Depends").Stdout.Trim();
        var clauses = depends.Split(',', StringSplitOptions.TrimEntries);
        Assert.Contains(clauses, clause => clause.StartsWith("libc6 (>= ", StringComparison.Ordinal));
        // Debian 12's libssl3, renamed libssl3t64 by the 64-bit time_t transition (Debian 13, Ubuntu 24.04).
        Assert.Contains("libssl3 | libssl3t64", clauses);
    }

    [Fact]
    public void Arm64PackageHoldsTheArm64Binary()
    {
        var deb = Dist.Deb("arm64");
        Assert.Equal("arm64", Command.Run("dpkg-deb", ["-f", deb, "Architecture"]).AssertSuccess().Stdout.Trim());
        var binary = Command.Bash($"dpkg-deb --fsys-tarfile {Command.Quote(deb)} | tar -xO ./usr/bin/meshedge | cmp - {Command.Quote(Dist.Binary("linux-arm64"))}");
        binary.AssertSuccess("/usr/bin/meshedge in the arm64 .deb is the linux-arm64 binary");
    }

    [Fact]
    public void InstallsValidatesUpgradesAndPurgesWithoutTrace()
    {
        HostTools.Ensure("systemd", "adduser", "init-system-helpers", "libssl3");
        using var scratch = new ScratchDirectory();
        using var sandbox = RootSandbox.Create(output);
        var deb = sandbox.CopyIn(Dist.Deb("amd64"));
        Assert.NotEqual(0, sandbox.InRoot("dpkg-query -W meshedge").ExitCode);

        // Install.
        sandbox.InRoot($"dpkg -i {deb}").AssertSuccess("dpkg -i");
        Assert.StartsWith($"meshedge {Dist.Version} (commit ", sandbox.InRoot("/usr/bin/meshedge version").AssertSuccess().Stdout);
        sandbox.InRoot($"meshedge validate -c {Config}").AssertSuccess("meshedge validate on the installed config");
        // ExecStartPre runs as the service user: it must be able to read the config.
        sandbox.InRoot($"runuser -u meshedge -- /usr/bin/meshedge validate -c {Config}").AssertSuccess("validate as the meshedge user");

        var user = sandbox.InRoot("getent passwd meshedge").AssertSuccess("the meshedge user exists").Stdout.Trim().Split(':');
        Assert.True(int.Parse(user[2]) < 1000, $"meshedge is not a system user: {string.Join(':', user)}");
        Assert.Equal("/var/lib/meshedge", user[5]);
        Assert.Equal("/usr/sbin/nologin", user[6]);
        sandbox.InRoot("getent group meshedge").AssertSuccess("the meshedge group exists");
        Assert.Equal("meshedge:meshedge 750", sandbox.InRoot("stat -c '%U:%G %a' /var/lib/meshedge").AssertSuccess().Stdout.Trim());
        Assert.Contains(Config, sandbox.InRoot("dpkg-query -W -f='${Conffiles}' meshedge").AssertSuccess().Stdout);
        Assert.Equal("0755 root:root", sandbox.InRoot("stat -c '%#a %U:%G' /usr/bin/meshedge").Stdout.Trim());
        sandbox.InRoot("test -s /usr/share/man/man1/meshedge.1.gz && test -s /usr/share/doc/meshedge/copyright").AssertSuccess("man page and copyright");

        // The unit: systemd's own checker, then the settings the issue asks for.
        var verify = sandbox.InRoot($"systemd-analyze verify --man=no {Unit}");
        Assert.True(verify.ExitCode == 0 && verify.Stdout.Trim().Length == 0, $"systemd-analyze verify complained\n{verify}");
        var unit = sandbox.InRoot($"cat {Unit}").AssertSuccess().Stdout;
        foreach (var setting in (string[])[
            "Type=notify", $"ExecStartPre=/usr/bin/meshedge validate -c {Config}", $"ExecStart=/usr/bin/meshedge run -c {Config}",
            "ExecReload=/bin/kill -HUP $MAINPID", "Restart=on-failure", "LimitNOFILE=1048576", "User=meshedge",
            "NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes",
            "CapabilityBoundingSet=CAP_NET_BIND_SERVICE", "AmbientCapabilities=CAP_NET_BIND_SERVICE",
            "ReadWritePaths=/var/lib/meshedge", "RuntimeDirectory=meshedge", "MemoryDenyWriteExecute=yes"])
        {
            Assert.Contains("\n" + setting + "\n", unit);
        }

        // Enabled the Debian way (deb-systemd-helper works without systemd running; nothing was started).
        sandbox.InRoot("test -L /etc/systemd/system/multi-user.target.wants/meshedge.service").AssertSuccess("meshedge.service is enabled");

        // Upgrade to the next package revision: the admin's edit of the conffile survives, silently.
        var next = Command.Run(Dist.InRepo("packaging", "deb", "build-deb.sh"), [
            "--binary", Dist.Binary("linux-x64"), "--arch", "amd64", "--version", Dist.Version, "--release", "999", "--out", scratch.Path]);
        next.AssertSuccess("build the next revision of the .deb");
        var nextDeb = sandbox.CopyIn(next.Stdout.Trim());
        sandbox.InRoot($"echo '# edited by the admin' >> {Config}").AssertSuccess();
        sandbox.InRoot($"dpkg -i {nextDeb}").AssertSuccess("upgrade with dpkg -i");
        Assert.Equal($"{Dist.PackageVersion}-999", sandbox.InRoot("dpkg-query -W -f='${Version}' meshedge").Stdout.Trim());
        Assert.Contains("# edited by the admin", sandbox.InRoot($"cat {Config}").Stdout);
        sandbox.InRoot("getent passwd meshedge && test -L /etc/systemd/system/multi-user.target.wants/meshedge.service").AssertSuccess("user and enablement survive the upgrade");

        // Purge: no file, directory, link, user or group is left; the overlay's upper layer is the proof.
        sandbox.InRoot("dpkg --purge meshedge").AssertSuccess("dpkg --purge");
        sandbox.AssertAbsent(
            "/usr/bin/meshedge", "/etc/meshedge", "/var/lib/meshedge", "/run/meshedge", Unit,
            "/etc/systemd/system/multi-user.target.wants/meshedge.service", "/etc/systemd/system/meshedge.service",
            "/usr/share/doc/meshedge", "/usr/share/man/man1/meshedge.1.gz");
        Assert.NotEqual(0, sandbox.InRoot("getent passwd meshedge").ExitCode);
        Assert.NotEqual(0, sandbox.InRoot("getent group meshedge").ExitCode);
        var traces = sandbox.Host("cd \"$UPPER\" && find . -name '*meshedge*' ! -path './tmp/*'").AssertSuccess();
        Assert.True(traces.Stdout.Length == 0, $"the purge left these behind:\n{traces.Stdout}");
        var users = sandbox.Host("grep -l meshedge \"$UPPER\"/etc/passwd \"$UPPER\"/etc/group \"$UPPER\"/etc/shadow \"$UPPER\"/etc/gshadow 2>/dev/null || true");
        Assert.True(users.Stdout.Length == 0, $"the purge left the user in:\n{users.Stdout}");
    }
}
