namespace MeshEdge.Native.Tls;

/// <summary>
/// A file's modification time and size (following symlinks, as a Kubernetes secret volume's are),
/// or <see cref="Missing"/>: compared between polls to see a change, and to see it settle.
/// </summary>
internal readonly record struct FileStamp(long ModifiedTicks, long Length)
{
    public static readonly FileStamp Missing = new(-1, -1);

    public static FileStamp Of(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? new FileStamp(info.LastWriteTimeUtc.Ticks, info.Length) : Missing;
    }
}
