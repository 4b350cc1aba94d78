using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static MeshEdge.Native.Tls.Interop.SslConstants;

namespace MeshEdge.Native.Tls.Interop;

/// <summary>
/// A BIO method whose reads take ciphertext from a connection's <see cref="TlsTransport.CipherIn"/>
/// and whose writes append to its <see cref="TlsTransport.CipherOut"/>: the worker moves bytes
/// between those chains and the socket itself, so libssl never touches the fd and never blocks
/// (HAProxy feeds OpenSSL through a BIO method of its own the same way). Writes always succeed:
/// what libssl writes is bounded by what the connection asks it to encrypt.
/// </summary>
internal static unsafe class BlockChainBio
{
    private static nint s_method;

    /// <summary>The method, made on first use (from the main thread while contexts are built, before any worker runs).</summary>
    public static nint Method
    {
        get
        {
            if (s_method == 0)
            {
                var name = "meshedge-blocks\0"u8;
                fixed (byte* namePointer = name)
                {
                    var method = LibCrypto.BIO_meth_new(LibCrypto.BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, namePointer);
                    LibCrypto.BIO_meth_set_write(method, (nint)(delegate* unmanaged<nint, byte*, int, int>)&Write);
                    LibCrypto.BIO_meth_set_read(method, (nint)(delegate* unmanaged<nint, byte*, int, int>)&Read);
                    // libssl asks the BIO's ctrl a dozen times per record (flush, kTLS, pending):
                    // the null BIO's native ctrl answers as ours must (flush done, nothing pending,
                    // no kTLS) without a reverse P/Invoke into managed code for each question.
                    LibCrypto.BIO_meth_set_ctrl(method, LibCrypto.BIO_meth_get_ctrl(LibCrypto.BIO_s_null()));
                    s_method = method;
                }
            }

            return s_method;
        }
    }

    /// <summary>A BIO of this method bound to <paramref name="transport"/> through a GC handle.</summary>
    public static nint Create(GCHandle transport)
    {
        var bio = LibCrypto.BIO_new(Method);
        LibCrypto.BIO_set_data(bio, GCHandle.ToIntPtr(transport));
        LibCrypto.BIO_set_init(bio, 1);
        return bio;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TlsTransport TransportOf(nint bio) =>
        Unsafe.As<TlsTransport>(GCHandle.FromIntPtr(LibCrypto.BIO_get_data(bio)).Target!);

    [UnmanagedCallersOnly]
    private static int Write(nint bio, byte* data, int length)
    {
        var transport = TransportOf(bio);
        transport.CipherOut.AppendCopy(new ReadOnlySpan<byte>(data, length), transport.Pool);
        return length;
    }

    [UnmanagedCallersOnly]
    private static int Read(nint bio, byte* buffer, int length)
    {
        var transport = TransportOf(bio);
        if (transport.BioRetryFlagged)
        {
            transport.BioRetryFlagged = false;
            LibCrypto.BIO_clear_flags(bio, BIO_FLAGS_RWS | BIO_FLAGS_SHOULD_RETRY);
        }

        var copied = transport.CipherIn.ConsumeInto(new Span<byte>(buffer, length), transport.Pool);
        if (copied > 0)
        {
            return copied;
        }

        // Nothing buffered: "try again" (the socket's EOF is the connection's to notice, not libssl's).
        transport.BioRetryFlagged = true;
        LibCrypto.BIO_set_flags(bio, BIO_FLAGS_READ | BIO_FLAGS_SHOULD_RETRY);
        return -1;
    }
}
