using MeshEdge.Interop;

namespace MeshEdge.Upgrade.Handoff;

/// <summary>
/// Picks the directory of the hand-off socket: the configured one, else <c>$XDG_RUNTIME_DIR/meshedge</c>,
/// else <c>/tmp/meshedge-UID</c>; the first that exists or can be created, is writable by us and is
/// writable by nobody else. A directory we create gets mode 0700. An existing one is never chmod'ed
/// (it may be shared, like /run for root); one that group or others can write is skipped, since
/// anyone who can write there could replace the socket.
/// </summary>
internal static class UdsDirectory
{
    /// <summary>The chosen directory, or null when none is usable; <paramref name="skipped"/> says why each earlier one was not.</summary>
    public static string? Resolve(string configured, out List<string> skipped)
    {
        skipped = [];
        foreach (var candidate in Candidates(configured))
        {
            var problem = Prepare(candidate);
            if (problem is null)
            {
                return candidate;
            }

            skipped.Add($"{candidate}: {problem}");
        }

        return null;
    }

    internal static IEnumerable<string> Candidates(string configured)
    {
        yield return configured;
        var runtimeDir = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        if (!string.IsNullOrEmpty(runtimeDir) && runtimeDir.StartsWith('/'))
        {
            yield return Path.Combine(runtimeDir, "meshedge");
        }

        yield return $"/tmp/meshedge-{Libc.GetUid()}";
    }

    /// <summary>Null when <paramref name="directory"/> is ready for the socket, else why not.</summary>
    internal static string? Prepare(string directory)
    {
        const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        const UnixFileMode OthersWrite = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;
        try
        {
            var info = new DirectoryInfo(directory);
            if (info.LinkTarget is not null)
            {
                return "is a symbolic link";
            }

            if (!info.Exists)
            {
                Directory.CreateDirectory(directory, OwnerOnly);
                File.SetUnixFileMode(directory, OwnerOnly); // exactly 0700, whatever the umask
            }
            else if ((File.GetUnixFileMode(directory) & OthersWrite) != 0)
            {
                return "group or others may write there";
            }

            // Writable by us: probe, because only the bind would tell otherwise.
            var probe = Path.Combine(directory, $".probe-{Environment.ProcessId}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ex.Message;
        }
    }
}
