using System.Reflection;

namespace MeshEdge.Packaging.Tests.Harness;

/// <summary>
/// Where `make dist` put its output and what it should be called. Every accessor fails with the same
/// clear message when artifacts/dist is missing, since these tests test that output rather than build it.
/// </summary>
internal static class Dist
{
    public static string RepoRoot { get; } =
        typeof(Dist).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value!;

    public static string Directory { get; } = Path.Combine(RepoRoot, "artifacts", "dist");

    /// <summary>The release version, from the VERSION file at the repository root.</summary>
    public static string Version { get; } = File.ReadAllText(Path.Combine(RepoRoot, "VERSION")).Trim();

    /// <summary>Debian and RPM spell a pre-release "0.2.0~rc1" where VERSION says "0.2.0-rc1".</summary>
    public static string PackageVersion { get; } = Version.Replace('-', '~');

    public static readonly string[] BinaryVariants = ["linux-x64", "linux-x64-static", "linux-arm64"];

    public static string Binary(string variant) => Require($"meshedge-{Version}-{variant}");

    /// <summary>The .deb for amd64 or arm64, whatever its package revision (DIST_RELEASE).</summary>
    public static string Deb(string arch) => RequireOne($"meshedge_{PackageVersion}-*_{arch}.deb");

    /// <summary>The .rpm for x86_64 or aarch64, whatever its release (DIST_RELEASE).</summary>
    public static string Rpm(string arch) => RequireOne($"meshedge-{PackageVersion}-*.{arch}.rpm");

    public static string Sums => Require("SHA256SUMS");

    public static string InRepo(params string[] parts) => Path.Combine([RepoRoot, .. parts]);

    private static string Require(string name)
    {
        var path = Path.Combine(Directory, name);
        if (!File.Exists(path))
        {
            throw new Xunit.Sdk.XunitException($"{path} is missing: run `make dist` first (these tests check its output, they do not build it)");
        }

        return path;
    }

    private static string RequireOne(string pattern)
    {
        var matches = System.IO.Directory.Exists(Directory) ? System.IO.Directory.GetFiles(Directory, pattern) : [];
        return matches.Length switch
        {
            1 => matches[0],
            0 => throw new Xunit.Sdk.XunitException($"no {pattern} in {Directory}: run `make dist` first (these tests check its output, they do not build it)"),
            _ => throw new Xunit.Sdk.XunitException($"several {pattern} in {Directory} ({string.Join(", ", matches.Select(Path.GetFileName))}): run `make dist` again, it starts from an empty directory"),
        };
    }
}
