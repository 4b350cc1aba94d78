using MeshEdge.Packaging.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Packaging.Tests;

/// <summary>The cross-compiled arm64 binary, emulated by qemu-user (Debian's qemu-user-static) on this x86_64 machine.</summary>
public sealed class Arm64BinaryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task RunsUnderQemuAndProxies()
    {
        Arm64.EnsureTools();
        await using var upstream = new PongServer();
        using var scratch = new ScratchDirectory();
        var config = scratch.Write("meshedge.toml", upstream.ProxyConfigToml());
        var binary = Dist.Binary("linux-arm64");

        Command.Run(Arm64.Qemu, Arm64.Arguments(binary, "validate", "-c", config)).AssertSuccess("meshedge validate under qemu");
        var (proxy, address) = await ProxyUnderTest.StartAsync(output, Arm64.Qemu, Arm64.Arguments(binary, "run", "-c", config));
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
