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
        using var root = EmptyRootWithTheStaticBinary();
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

    /// <summary>
    /// There is no libssl in an empty container (and OpenSSL is not linked into the static binary), so
    /// a TLS listener is a config error there, naming the key path and the way out, for validate and
    /// run alike: never a crash, never a listener that cannot handshake.
    /// </summary>
    [Fact]
    public void RefusesATlsListenerInAnEmptyChrootWithOneClearError()
    {
        HostTools.RequireRoot();
        HostTools.Ensure("openssl");
        using var root = EmptyRootWithTheStaticBinary();
        // A real certificate and key, so that nothing but the missing library stands in the way.
        Command.Run("openssl", [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
            "-subj", "/CN=localhost", "-keyout", Path.Combine(root.Path, "tls.key"), "-out", Path.Combine(root.Path, "tls.pem"),
        ]).AssertSuccess("openssl req -x509");
        root.Write("m.toml", """
            [[listeners]]
            name = "https"
            address = "127.0.0.1:0"
            protocol = "http"

            [listeners.http]
            [[listeners.http.virtual_hosts]]
            name = "all"
            domains = ["*"]
            [[listeners.http.virtual_hosts.routes]]
            match = { prefix = "/" }
            direct_response = { status = 200, body = "ok" }

            [listeners.tls]
            [[listeners.tls.certificates]]
            certificate_chain = "/tls.pem"
            private_key = "/tls.key"
            """);

        foreach (var command in new[] { "validate", "run" })
        {
            var result = Command.Run("chroot", [root.Path, "/meshedge", command, "-c", "/m.toml"], TimeSpan.FromMinutes(1));
            output.WriteLine(result.ToString());
            Assert.True(result.ExitCode == 2, $"meshedge {command} with a TLS listener in the empty chroot did not exit 2\n{result}");
            var error = result.Stderr.Trim();
            Assert.True(
                !error.Contains('\n', StringComparison.Ordinal) && error.Contains("/m.toml", StringComparison.Ordinal) && error.Contains("listeners[0].tls", StringComparison.Ordinal)
                    && error.Contains("TLS needs libssl.so.3", StringComparison.Ordinal)
                    && error.Contains("use the dynamic binary or the .deb/.rpm packages", StringComparison.Ordinal)
                    && !error.Contains("Unhandled exception", StringComparison.Ordinal),
                $"meshedge {command}: not the one clear error (file, key path, libssl.so.3, the way out)\n{result}");
        }
    }

    /// <summary>A scratch directory holding only the static binary, as /meshedge: the chroot's whole world.</summary>
    private static ScratchDirectory EmptyRootWithTheStaticBinary()
    {
        var root = new ScratchDirectory();
        var binary = Path.Combine(root.Path, "meshedge");
        File.Copy(Dist.Binary("linux-x64-static"), binary);
        File.SetUnixFileMode(binary, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        return root;
    }
}
