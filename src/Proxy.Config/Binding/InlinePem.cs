using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace MeshEdge.Config.Binding;

/// <summary>
/// PEM given in the config itself (<c>certificate_chain_pem</c>, Envoy's <c>inline_string</c>) held
/// in memory: each distinct text goes into an anonymous memory file (memfd) that lives as long as
/// the process, and is named by <c>/proc/self/fd/N</c>. Everything that loads, reloads and shows
/// certificates works on file names (OpenSSL's own readers, the secret watcher, /certs), so inline
/// material takes exactly the same paths as files do, and never touches a disk. The same text gives
/// the same name, so a reload with unchanged PEM leaves the listener's TLS unchanged.
/// </summary>
internal static partial class InlinePem
{
    private const uint MfdCloexec = 1;

    private static readonly Dictionary<string, string> s_paths = new(StringComparer.Ordinal);

    /// <summary>The file name that reads <paramref name="pem"/>; null with <paramref name="error"/> when no memory file could be made.</summary>
    public static string? PathOf(string pem, out string? error)
    {
        lock (s_paths)
        {
            error = null;
            if (s_paths.TryGetValue(pem, out var known))
            {
                return known;
            }

            var fd = MemfdCreate("meshedge-pem", MfdCloexec);
            if (fd < 0)
            {
                error = $"cannot hold inline PEM in memory (memfd_create failed, errno {Marshal.GetLastPInvokeError()})";
                return null;
            }

            // Not owned: the descriptor stays open for the process's life, its name is in use.
            using (var handle = new SafeFileHandle(fd, ownsHandle: false))
            {
                RandomAccess.Write(handle, Encoding.UTF8.GetBytes(pem), 0);
            }

            var path = $"/proc/self/fd/{fd}";
            s_paths[pem] = path;
            return path;
        }
    }

    [LibraryImport("libc", EntryPoint = "memfd_create", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int MemfdCreate(string name, uint flags);
}
