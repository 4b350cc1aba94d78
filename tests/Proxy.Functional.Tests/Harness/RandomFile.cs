namespace MeshEdge.Functional.Tests.Harness;

/// <summary>Files of seeded random bytes that a served upstream (nginx, nghttpd) hands out, so a body can be checked byte for byte.</summary>
internal static class RandomFile
{
    /// <summary>Writes <paramref name="size"/> bytes from a generator seeded with <paramref name="seed"/> to <paramref name="path"/> and returns them.</summary>
    public static byte[] Write(string path, int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
        return bytes;
    }
}
