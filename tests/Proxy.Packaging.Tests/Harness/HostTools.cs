namespace MeshEdge.Packaging.Tests.Harness;

/// <summary>
/// Installs the Debian packages a test needs, once per test run, through the repository's idempotent
/// scripts/ensure-packages.sh (apt-get only for what is missing), so a fresh CI machine needs nothing
/// beyond what `make dist` installed.
/// </summary>
internal static class HostTools
{
    private static readonly Lock Gate = new();
    private static readonly HashSet<string> Ensured = [];

    public static void Ensure(params string[] packages)
    {
        lock (Gate)
        {
            var missing = packages.Where(p => !Ensured.Contains(p)).ToArray();
            if (missing.Length == 0)
            {
                return;
            }

            var result = Command.Run(Dist.InRepo("scripts", "ensure-packages.sh"), missing, TimeSpan.FromMinutes(10));
            Assert.True(result.ExitCode == 0, $"cannot install the tools these tests use\n{result}");
            Ensured.UnionWith(missing);
        }
    }

    /// <summary>These tests install packages, chroot and mount: they need root, and say so plainly.</summary>
    public static void RequireRoot()
    {
        Assert.True(Environment.IsPrivilegedProcess, "the packaging tests need root (dpkg -i, chroot, mount namespaces); run them as root, as CI does");
    }
}
