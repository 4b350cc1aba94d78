namespace MeshEdge.Functional.Tests.Harness;

/// <summary>Starting from raw TOML: HTTP listeners have more shape than <see cref="ProxyConfig"/> models.</summary>
internal sealed partial class ProxyProcess
{
    /// <summary>Writes <paramref name="toml"/> to a private file, runs <c>meshedge run -c FILE</c> and waits until it serves.</summary>
    public static async Task<ProxyProcess> StartTomlAsync(string toml, Xunit.Abstractions.ITestOutputHelper output)
    {
        var directory = new TempDirectory();
        ProxyProcess proxy;
        try
        {
            proxy = Launch(["run", "-c", directory.Write("meshedge.toml", toml)], output, directory);
        }
        catch
        {
            directory.Dispose();
            throw;
        }

        try
        {
            await proxy.WaitUntilStartedAsync();
            return proxy;
        }
        catch
        {
            await proxy.DisposeAsync();
            throw;
        }
    }
}
