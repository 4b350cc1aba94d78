using System.Runtime.InteropServices;
using MeshEdge.Native.Tls.Interop;
using static MeshEdge.Native.Tls.Interop.LibCrypto;

namespace MeshEdge.Native.Tls;

/// <summary>
/// Session tickets sealed with the process's keys (<see cref="TicketKeys"/>) rather than each
/// context's own random ones: every worker, every certificate generation after a reload, and the
/// successor of a hot upgrade (which is handed the keys) resume each other's sessions. Installed on
/// each server context with <c>SSL_CTX_set_tlsext_ticket_key_evp_cb</c>; runs on the worker in the
/// handshake, reads the key set through one volatile reference, allocates nothing.
/// </summary>
internal static unsafe class TicketKeyCallback
{
    private const int IvLength = 16;

    private static readonly byte* DigestKey = Utf8("digest");
    private static readonly byte* KeyKey = Utf8("key");
    private static readonly byte* Sha256 = Utf8("SHA256");

    public static void Install(nint ctx) =>
        LibSsl.SSL_CTX_set_tlsext_ticket_key_evp_cb(ctx, (nint)(delegate* unmanaged<nint, byte*, byte*, nint, nint, int, int>)&OnTicket);

    /// <summary>
    /// Encrypting (enc = 1): name the newest key, make an IV, set cipher and MAC; returns 1.
    /// Decrypting: the key the ticket names; 1 for the newest, 2 to have the ticket renewed under it,
    /// 0 when the key is gone (a full handshake follows, never an error).
    /// </summary>
    [UnmanagedCallersOnly]
    private static int OnTicket(nint ssl, byte* keyName, byte* iv, nint cipherContext, nint macContext, int encrypt)
    {
        if (TicketKeys.Current is not { } keys)
        {
            // No keys (no TLS listener started the rotation): issue no ticket, resume nothing.
            return 0;
        }

        TicketKey key;
        var newest = true;
        if (encrypt == 1)
        {
            key = keys.Newest;
            key.Name.CopyTo(new Span<byte>(keyName, TicketKey.NameLength));
            if (RAND_bytes(iv, IvLength) != 1)
            {
                return -1;
            }
        }
        else if (keys.Find(new ReadOnlySpan<byte>(keyName, TicketKey.NameLength), out newest) is { } found)
        {
            key = found;
        }
        else
        {
            return 0;
        }

        fixed (byte* material = key.Bytes)
        {
            var aes = material + TicketKey.NameLength;
            var hmac = aes + TicketKey.SecretLength;
            var parameters = stackalloc OsslParam[3];
            parameters[0] = OsslParam.Of(DigestKey, OsslParam.Utf8String, Sha256, 6);
            parameters[1] = OsslParam.Of(KeyKey, OsslParam.OctetString, hmac, TicketKey.SecretLength);
            parameters[2] = default;
            if (EVP_MAC_CTX_set_params(macContext, parameters) != 1)
            {
                return -1;
            }

            var ok = encrypt == 1
                ? EVP_EncryptInit_ex(cipherContext, Cipher, 0, aes, iv)
                : EVP_DecryptInit_ex(cipherContext, Cipher, 0, aes, iv);
            if (ok != 1)
            {
                return -1;
            }
        }

        return newest ? 1 : 2;
    }

    private static nint Cipher => field != 0 ? field : field = EVP_aes_256_cbc();

    private static byte* Utf8(string text)
    {
        var bytes = (byte*)NativeMemory.Alloc((nuint)text.Length + 1);
        for (var i = 0; i < text.Length; i++)
        {
            bytes[i] = (byte)text[i];
        }

        bytes[text.Length] = 0;
        return bytes;
    }
}
