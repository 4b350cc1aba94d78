namespace MeshEdge.Functional.Tests.Harness;

/// <summary>A private directory for one test's config files, removed when the test ends.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("meshedge-functional-").FullName;
    }

    public string Path { get; }

    /// <summary>Writes <paramref name="content"/> to a file in this directory and returns its full path.</summary>
    public string Write(string fileName, string content)
    {
        var path = System.IO.Path.Combine(Path, fileName);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>The full path a file would have here, without creating it.</summary>
    public string PathOf(string fileName) => System.IO.Path.Combine(Path, fileName);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless; failing the test over it would hide the real result.
        }
    }
}
