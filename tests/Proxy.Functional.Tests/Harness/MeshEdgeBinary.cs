using System.Reflection;

namespace MeshEdge.Functional.Tests.Harness;

/// <summary>
/// Where the published binary lives. The build writes the path into the assembly (metadata
/// "MeshEdgeBinary") so the tests never guess. A missing binary fails the test instead of skipping it:
/// <c>make build</c> always runs first, and a silent skip would hide a broken publish.
/// </summary>
internal static class MeshEdgeBinary
{
    public static string Path { get; } = ReadPathFromMetadata();

    /// <summary>The binary's path; fails the calling test when it is not there.</summary>
    public static string Require()
    {
        if (!File.Exists(Path))
        {
            Assert.Fail($"meshedge binary not found at '{Path}'. Build it first (make build publishes artifacts/linux-x64/meshedge).");
        }

        return Path;
    }

    private static string ReadPathFromMetadata()
    {
        var value = typeof(MeshEdgeBinary).Assembly
            .GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(attribute => attribute.Key == "MeshEdgeBinary")?.Value;
        return string.IsNullOrEmpty(value)
            ? throw new InvalidOperationException("assembly metadata 'MeshEdgeBinary' is missing from the test project")
            : System.IO.Path.GetFullPath(value);
    }
}
