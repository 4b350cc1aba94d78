using MeshEdge.Packaging.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Packaging.Tests;

/// <summary>
/// The .rpm files, checked with Debian's rpm tools: their file lists, rpmlint, an install into an empty
/// scratch root, and (for x86_64) a full install, upgrade and erase with the scriptlets running,
/// in <see cref="RootSandbox"/>'s overlay of this machine.
/// </summary>
public sealed class RpmPackageTests(ITestOutputHelper output)
{
    private static readonly string[] ExpectedFiles =
    [
        "/etc/meshedge",
        "/etc/meshedge/meshedge.toml",
        "/usr/bin/meshedge",
        "/usr/lib/systemd/system/meshedge.service",
        "/usr/share/doc/meshedge/examples",
        "/usr/share/doc/meshedge/examples/discovery.toml",
        "/usr/share/doc/meshedge/examples/edge-http.toml",
        "/usr/share/doc/meshedge/examples/edge-tcp.json",
        "/usr/share/doc/meshedge/examples/edge-tcp.toml",
        "/usr/share/doc/meshedge/examples/envoy-bootstrap.json",
        "/usr/share/doc/meshedge/examples/mosn-http.json",
        "/usr/share/doc/meshedge/examples/sidecar-bolt.toml",
        "/usr/share/doc/meshedge/examples/sidecar-inbound.toml",
        "/usr/share/licenses/meshedge/copyright",
        "/usr/share/man/man1/meshedge.1.gz",
        "/var/lib/meshedge",
    ];

    [Theory]
    [InlineData("x86_64", "linux-x64")]
    [InlineData("aarch64", "linux-arm64")]
    public void ListsItsFilesWithTheRightArchitectureAndConfigFlags(string arch, string variant)
    {
        HostTools.Ensure("rpm", "cpio");
        var rpm = Dist.Rpm(arch);
        var files = Command.Run("rpm", ["-qlp", rpm]).AssertSuccess("rpm -qlp").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(ExpectedFiles, files.Order(StringComparer.Ordinal));

        Assert.Equal($"meshedge {Dist.PackageVersion} {arch}", Command.Run("rpm", ["-qp", "--qf", "%{NAME} %{VERSION} %{ARCH}", rpm]).AssertSuccess().Stdout);
        Assert.Equal(["/etc/meshedge/meshedge.toml"], Command.Run("rpm", ["-qpc", rpm]).AssertSuccess().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        // %config(noreplace): flags "c" (config) and "n" (noreplace).
        var flags = Command.Run("rpm", ["-qp", "--qf", "[%{FILENAMES} %{FILEFLAGS:fflags}\n]", rpm]).AssertSuccess().Stdout;
        Assert.Contains("/etc/meshedge/meshedge.toml cn", flags);

        var unpacked = Command.Bash($"rpm2cpio {Command.Quote(rpm)} | cpio -i --quiet --to-stdout ./usr/bin/meshedge | cmp - {Command.Quote(Dist.Binary(variant))}");
        unpacked.AssertSuccess($"/usr/bin/meshedge in the {arch} rpm is the {variant} binary");
    }

    /// <summary>TLS loads libssl with dlopen, which rpm's automatic dependencies cannot see: the spec asks for the sonames.</summary>
    [Theory]
    [InlineData("x86_64")]
    [InlineData("aarch64")]
    public void RequiresOpenSsl3BySoname(string arch)
    {
        HostTools.Ensure("rpm");
        var requires = Command.Run("rpm", ["-qpR", Dist.Rpm(arch)]).AssertSuccess("rpm -qpR").Stdout
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains("libssl.so.3()(64bit)", requires);
        Assert.Contains("libcrypto.so.3()(64bit)", requires);
    }

    [Fact]
    public void RpmlintReportsNoErrors()
    {
        HostTools.Ensure("rpmlint");
        var config = Dist.InRepo("packaging", "rpm", "rpmlint.toml");
        var packages = new[] { Dist.Rpm("x86_64"), Dist.Rpm("aarch64") };
        // Unfiltered first, for the record: what rpmlint's openSUSE-flavoured defaults say.
        output.WriteLine(Command.Run("rpmlint", packages, TimeSpan.FromMinutes(3)).ToString());
        var lint = Command.Run("rpmlint", ["-c", config, .. packages], TimeSpan.FromMinutes(3));
        Assert.True(lint.ExitCode == 0 && lint.Stdout.Contains(" 0 errors", StringComparison.Ordinal),
            $"rpmlint (with packaging/rpm/rpmlint.toml) found errors\n{lint}");
        output.WriteLine(lint.ToString());
    }

    [Theory]
    [InlineData("x86_64")]
    [InlineData("aarch64")]
    public void InstallsIntoAnEmptyScratchRoot(string arch)
    {
        HostTools.Ensure("rpm");
        HostTools.RequireRoot();
        using var root = new ScratchDirectory();
        // No scriptlets (there is no shell in an empty root) and no dependency check (no glibc there).
        Command.Run("rpm", ["--root", root.Path, "--initdb"]).AssertSuccess("rpm --initdb");
        Command.Run("rpm", ["--root", root.Path, "-i", "--nodeps", "--noscripts", "--ignorearch", Dist.Rpm(arch)]).AssertSuccess("rpm --root -i");

        string Stat(string path) => Command.Run("stat", ["-c", "%F %a", Path.Join(root.Path, path)]).AssertSuccess().Stdout.Trim();
        Assert.Equal("regular file 755", Stat("/usr/bin/meshedge"));
        Assert.Equal("regular file 644", Stat("/etc/meshedge/meshedge.toml"));
        Assert.Equal("regular file 644", Stat("/usr/lib/systemd/system/meshedge.service"));
        Assert.Equal("regular file 644", Stat("/usr/share/man/man1/meshedge.1.gz"));
        Assert.Equal("directory 750", Stat("/var/lib/meshedge"));
        Assert.Equal(
            File.ReadAllText(Dist.InRepo("packaging", "common", "meshedge.service")),
            File.ReadAllText(Path.Join(root.Path, "/usr/lib/systemd/system/meshedge.service")));
        Assert.Equal($"meshedge-{Dist.PackageVersion}", Command.Run("rpm", ["--root", root.Path, "-q", "--qf", "%{NAME}-%{VERSION}", "meshedge"]).AssertSuccess().Stdout);
        Command.Run("rpm", ["--root", root.Path, "-V", "--nodeps", "--nouser", "--nogroup", "meshedge"]).AssertSuccess("rpm -V in the scratch root");

        Command.Run("rpm", ["--root", root.Path, "-e", "--nodeps", "--noscripts", "meshedge"]).AssertSuccess("rpm --root -e");
        Assert.False(File.Exists(Path.Join(root.Path, "/usr/bin/meshedge")));
        Assert.False(File.Exists(Path.Join(root.Path, "/usr/lib/systemd/system/meshedge.service")));
    }

    [Fact]
    public void ScriptletsCreateTheUserAndUpgradeAndEraseBehaveAsOnFedora()
    {
        HostTools.Ensure("rpm", "passwd");
        using var scratch = new ScratchDirectory();
        using var sandbox = RootSandbox.Create(output);
        var rpm = sandbox.CopyIn(Dist.Rpm("x86_64"));
        // Debian's rpm refuses to manage / unless told that it is meant (--force-debian); --nodeps
        // because Debian's rpm database knows nothing of glibc or shadow-utils.
        const string Rpm = "rpm --force-debian --nodeps";
        sandbox.InRoot("rpm --initdb").AssertSuccess();

        sandbox.InRoot($"{Rpm} -i {rpm}").AssertSuccess("rpm -i");
        var user = sandbox.InRoot("getent passwd meshedge").AssertSuccess("%pre created the meshedge user").Stdout.Trim().Split(':');
        Assert.True(int.Parse(user[2]) < 1000, $"meshedge is not a system user: {string.Join(':', user)}");
        Assert.Equal("/var/lib/meshedge", user[5]);
        Assert.Equal("meshedge:meshedge 750", sandbox.InRoot("stat -c '%U:%G %a' /var/lib/meshedge").AssertSuccess().Stdout.Trim());
        Assert.StartsWith($"meshedge {Dist.Version} (commit ", sandbox.InRoot("/usr/bin/meshedge version").AssertSuccess().Stdout);
        sandbox.InRoot("runuser -u meshedge -- /usr/bin/meshedge validate -c /etc/meshedge/meshedge.toml").AssertSuccess("validate as the meshedge user");
        sandbox.InRoot("rpm -V --nodeps meshedge").AssertSuccess("rpm -V");

        // Upgrade to the next release with the config edited: %config(noreplace) keeps the edit.
        var next = Command.Run(Dist.InRepo("packaging", "rpm", "build-rpm.sh"), [
            "--binary", Dist.Binary("linux-x64"), "--arch", "x86_64", "--version", Dist.Version, "--release", "999", "--out", scratch.Path]);
        next.AssertSuccess("build the next release of the rpm");
        var nextRpm = sandbox.CopyIn(next.Stdout.Trim().Split('\n')[^1]);
        sandbox.InRoot("echo '# edited by the admin' >> /etc/meshedge/meshedge.toml").AssertSuccess();
        sandbox.InRoot($"{Rpm} -U {nextRpm}").AssertSuccess("rpm -U");
        Assert.Equal($"meshedge-{Dist.PackageVersion}-999", sandbox.InRoot("rpm -q --qf '%{NAME}-%{VERSION}-%{RELEASE}' meshedge").Stdout.Trim());
        Assert.Contains("# edited by the admin", sandbox.InRoot("cat /etc/meshedge/meshedge.toml").Stdout);

        // Erase: files and enablement go; the edited config is kept as .rpmsave and the user stays,
        // as Fedora's packaging guidelines have it (a uid may still own files elsewhere).
        sandbox.InRoot($"{Rpm} -e meshedge").AssertSuccess("rpm -e");
        sandbox.AssertAbsent(
            "/usr/bin/meshedge", "/usr/lib/systemd/system/meshedge.service", "/etc/meshedge/meshedge.toml",
            "/etc/systemd/system/multi-user.target.wants/meshedge.service", "/usr/share/man/man1/meshedge.1.gz");
        Assert.Contains("# edited by the admin", sandbox.InRoot("cat /etc/meshedge/meshedge.toml.rpmsave").AssertSuccess().Stdout);
        sandbox.InRoot("getent passwd meshedge").AssertSuccess("the user stays after rpm -e");
    }
}
