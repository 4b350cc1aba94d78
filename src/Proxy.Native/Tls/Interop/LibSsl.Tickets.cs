using System.Runtime.InteropServices;

namespace MeshEdge.Native.Tls.Interop;

/// <summary>The libssl calls behind session tickets with the process's own keys (see <see cref="TicketKeyCallback"/>).</summary>
internal static partial class LibSsl
{
    [LibraryImport(Lib)]
    public static partial int SSL_CTX_set_tlsext_ticket_key_evp_cb(nint ctx, nint callback);
}
