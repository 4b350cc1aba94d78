namespace MeshEdge.Config.Tests.TestSupport;

/// <summary>Finds the repository root (the directory holding MeshEdge.sln) from the test binaries.</summary>
internal static class RepoRoot
{
    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MeshEdge.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"MeshEdge.sln not found above {AppContext.BaseDirectory}");
    }
}
