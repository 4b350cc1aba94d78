using System.Globalization;

namespace MeshEdge.Native.Runtime;

/// <summary>
/// Standby's release of the executable's cold pages: the resident pages of its read-only file mappings
/// (code and read-only data, about 6 MiB of a NativeAOT binary, most of it touched once at start) are
/// dropped from the process (madvise MADV_DONTNEED), so the kernel may take them back like any clean
/// page cache; whatever runs later faults its pages in again from the file. Only mappings whose pages
/// were never written are touched: a page the loader relocated (RELRO) is an anonymous copy, and
/// dropping it would bring back the file's unrelocated bytes, so a mapping with any anonymous page
/// is left alone, as are writable ones and other files (shared libraries are shared anyway). The
/// file cannot change under us: the kernel refuses writes to a running executable (ETXTBSY).
/// </summary>
internal static unsafe class ExecutablePages
{
    /// <summary>
    /// The executable's clean read-only mappings and their resident bytes, read from smaps. Apart from
    /// <see cref="Release(Mapping[])"/> so that a caller can read them before work that leaves garbage
    /// collected (smaps' lines are strings) and drop them after, with nothing but the madvise calls
    /// between the drop and its return: code run after the drop faults its pages back in, a 64 KiB
    /// window at a time (the kernel's fault-around).
    /// </summary>
    public static Mapping[] Find(string smapsPath = "/proc/self/smaps")
    {
        var exe = Environment.ProcessPath;
        if (exe is null)
        {
            return [];
        }

        var found = new List<Mapping>();
        try
        {
            ulong start = 0, end = 0;
            long rssKib = 0;
            var candidate = false;
            foreach (var line in File.ReadLines(smapsPath))
            {
                if (TryParseHeader(line, exe, out var s, out var e, out var readOnlyExe))
                {
                    (start, end, candidate, rssKib) = (s, e, readOnlyExe, 0);
                }
                else if (candidate && line.StartsWith("Rss:", StringComparison.Ordinal))
                {
                    rssKib = KibOf(line);
                }
                else if (candidate && line.StartsWith("Anonymous:", StringComparison.Ordinal))
                {
                    candidate = false;
                    if (KibOf(line) == 0 && rssKib > 0 && end - start <= int.MaxValue)
                    {
                        found.Add(new Mapping(start, end, rssKib * 1024));
                    }
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or OverflowException)
        {
            // Without /proc nothing is released: standby and the idle trim still work.
        }

        return [.. found];
    }

    /// <summary>Drops <paramref name="mappings"/>' pages from this process; returns their resident bytes as found.</summary>
    public static long Release(Mapping[] mappings)
    {
        long released = 0;
        foreach (var mapping in mappings)
        {
            if (PageRelease.Release((byte*)mapping.Start, (int)(mapping.End - mapping.Start)))
            {
                released += mapping.ResidentBytes;
            }
        }

        return released;
    }

    /// <summary>Drops the executable's clean read-only pages from this process; returns the resident bytes dropped.</summary>
    public static long Release(string smapsPath = "/proc/self/smaps") => Release(Find(smapsPath));

    /// <summary>A clean read-only mapping of the executable: its address range and its resident bytes when found.</summary>
    internal readonly record struct Mapping(ulong Start, ulong End, long ResidentBytes);

    /// <summary>A mapping's header line: "start-end perms offset dev inode path"; readOnlyExe when it maps <paramref name="exe"/> without write.</summary>
    private static bool TryParseHeader(string line, string exe, out ulong start, out ulong end, out bool readOnlyExe)
    {
        start = end = 0;
        readOnlyExe = false;
        var dash = line.IndexOf('-', StringComparison.Ordinal);
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        if (dash <= 0 || space <= dash
            || !ulong.TryParse(line.AsSpan(0, dash), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out start)
            || !ulong.TryParse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out end))
        {
            return false;
        }

        var perms = line.AsSpan(space + 1, 4);
        var path = line.AsSpan(line.IndexOf('/', StringComparison.Ordinal) is var slash and >= 0 ? slash : line.Length).TrimEnd();
        if (path.EndsWith(" (deleted)", StringComparison.Ordinal))
        {
            path = path[..^" (deleted)".Length];
        }

        readOnlyExe = perms[1] != 'w' && perms[3] == 'p' && path.SequenceEqual(exe);
        return true;
    }

    private static long KibOf(string line)
    {
        var span = line.AsSpan(line.IndexOf(':', StringComparison.Ordinal) + 1).Trim();
        var space = span.IndexOf(' ');
        return long.Parse(space < 0 ? span : span[..space], NumberStyles.None, CultureInfo.InvariantCulture);
    }
}
