namespace MeshEdge.Functional.Tests.Harness;

/// <summary>Starting from raw TOML: HTTP listeners have more shape than <see cref="ProxyConfig"/> models.</summary>
internal sealed partial class ProxyProcess
{
    /// <summary>Writes <paramref name="toml"/> to a private file, runs <c>meshedge run -c FILE</c> and waits until it serves.</summary>
    public static Task<ProxyProcess> StartTomlAsync(string toml, Xunit.Abstractions.ITestOutputHelper output) =>
        StartTomlAsync(toml, output, hostsFile: null);

    /// <summary>
    /// Like <see cref="StartTomlAsync(string, Xunit.Abstractions.ITestOutputHelper)"/>, but with
    /// <paramref name="hostsFile"/> seen as /etc/hosts by the proxy alone: it runs in a private mount
    /// namespace (unshare, as root) where the file is bind-mounted over /etc/hosts. Rewriting the file
    /// in place (same inode) changes what the proxy's resolver answers; nothing else on the machine sees it.
    /// </summary>
    public static Task<ProxyProcess> StartTomlAsync(string toml, Xunit.Abstractions.ITestOutputHelper output, string? hostsFile) =>
        StartWrappedTomlAsync(toml, output, hostsFile is null
            ? null
            : ["unshare", "--mount", "--propagation", "private", "--", "sh", "-c", "mount --bind \"$0\" /etc/hosts && exec \"$@\"", hostsFile]);

    /// <summary>Like <see cref="StartTomlAsync(string, Xunit.Abstractions.ITestOutputHelper)"/>, started through <paramref name="wrapper"/> (see <see cref="Launch"/>).</summary>
    public static Task<ProxyProcess> StartWrappedTomlAsync(string toml, Xunit.Abstractions.ITestOutputHelper output, string[]? wrapper) =>
        StartWithFileAsync("meshedge.toml", toml, output, [], wrapper);
}
