using MeshEdge.Packaging.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Packaging.Tests;

/// <summary>
/// The static binary in the emptiest possible container: a chroot holding only the binary and its
/// config. No /proc, /sys, /dev, /etc or libraries; the chroot shares the test's network namespace,
/// so it proxies to a server on the test's loopback.
/// </summary>
public sealed class StaticBinaryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task RunsInAnEmptyChrootAndProxies()
    {
        HostTools.RequireRoot();
        await using var upstream = new PongServer();
        using var root = new ScratchDirectory();
        File.Copy(Dist.Binary("linux-x64-static"), Path.Combine(root.Path, "meshedge"));
        File.SetUnixFileMode(Path.Combine(root.Path, "meshedge"), UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        root.Write("m.toml", upstream.ProxyConfigToml());
        Assert.Equal(["m.toml", "meshedge"], Directory.GetFileSystemEntries(root.Path).Select(Path.GetFileName).Order());

        var version = Command.Run("chroot", [root.Path, "/meshedge", "version"]).AssertSuccess("meshedge version in the chroot");
        Assert.StartsWith($"meshedge {Dist.Version} (commit ", version.Stdout);

        var (proxy, address) = await ProxyUnderTest.StartAsync(output, "chroot", root.Path, "/meshedge", "run", "-c", "/m.toml");
        using (proxy)
        {
            await upstream.AssertProxiedAsync(address);
            await upstream.AssertProxiedAsync(address);
            Assert.Equal(0, await proxy.StopAsync());
            Assert.Contains("msg=stopped", proxy.Stderr);
        }

        Assert.Equal(2, upstream.Connections);
    }
}
