using System.Runtime.InteropServices;

namespace MeshEdge.Native.Runtime;

/// <summary>
/// Giving memory back to the OS: a range's pages (madvise MADV_DONTNEED: anonymous pages are dropped
/// and read back as zeros), and glibc's free lists (malloc_trim, which also returns the heap's top).
/// </summary>
internal static unsafe partial class PageRelease
{
    private const int MADV_DONTNEED = 4;

    /// <summary>False when the kernel refused (the range is not page-aligned, or madvise is filtered).</summary>
    public static bool Release(byte* memory, int length) => Madvise(memory, (nuint)length, MADV_DONTNEED) == 0;

    /// <summary>Returns glibc's free memory to the OS; true when any was.</summary>
    public static bool TrimMalloc() => MallocTrim(0) != 0;

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(void* address, nuint length, int advice);

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
