using System.Runtime.InteropServices;

namespace MeshEdge.Native.Tls.Interop;

/// <summary>The libcrypto calls a session-ticket key callback makes: the ticket's cipher and MAC, and the IV's randomness.</summary>
internal static unsafe partial class LibCrypto
{
    [LibraryImport(Lib)]
    public static partial nint EVP_aes_256_cbc();

    [LibraryImport(Lib)]
    public static partial int EVP_EncryptInit_ex(nint context, nint cipher, nint engine, byte* key, byte* iv);

    [LibraryImport(Lib)]
    public static partial int EVP_DecryptInit_ex(nint context, nint cipher, nint engine, byte* key, byte* iv);

    [LibraryImport(Lib)]
    public static partial int EVP_MAC_CTX_set_params(nint context, OsslParam* parameters);

    [LibraryImport(Lib)]
    public static partial int RAND_bytes(byte* buffer, int length);

    /// <summary>OpenSSL 3's OSSL_PARAM (params.h): key, type, data, size, returned size.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct OsslParam
    {
        public const uint Utf8String = 4;
        public const uint OctetString = 5;

        public byte* Key;
        public uint DataType;
        public void* Data;
        public nuint DataSize;
        public nuint ReturnSize;

        public static OsslParam Of(byte* key, uint type, void* data, nuint size) =>
            new() { Key = key, DataType = type, Data = data, DataSize = size, ReturnSize = nuint.MaxValue };
    }
}
