using System.Buffers;
using System.Text;
using MeshEdge.Codecs.Http1;
using MeshEdge.Config.Model;
using MeshEdge.Native.Tls;

namespace MeshEdge.Native.Http;

/// <summary>
/// x-forwarded-client-cert on its way upstream, under the listener's <c>forward_client_cert_details</c>
/// (Envoy's modes): a client that did not present a verified certificate never gets its own header
/// through, except under always_forward_only; with mTLS the header is forwarded as it came
/// (forward_only), gets this hop's element appended after a comma (append_forward) or replaced by it
/// (sanitize_set). The element itself was built once per connection (<see cref="TlsPeerIdentity.ForwardedClientCert"/>).
/// </summary>
internal static class ClientCertHeader
{
    public static ReadOnlySpan<byte> Name => "x-forwarded-client-cert"u8;

    /// <summary>The details a listener's connections build an element with; null when its mode never adds one.</summary>
    public static ClientCertDetails? ElementDetails(HttpConfig? http) =>
        http?.ForwardClientCertDetails is ForwardClientCertDetails.AppendForward or ForwardClientCertDetails.SanitizeSet
            ? http.SetCurrentClientCertDetails
            : null;

    /// <summary>Whether the client's own header is left out of the copied fields (it may come back rewritten by <see cref="Write"/>).</summary>
    public static bool Skips(ReadOnlySpan<byte> name, ForwardClientCertDetails mode, TlsPeerIdentity? peer) =>
        mode != ForwardClientCertDetails.AlwaysForwardOnly
        && (mode != ForwardClientCertDetails.ForwardOnly || peer is not { Presented: true })
        && name.Length == Name.Length && Ascii.EqualsIgnoreCase(name, Name);

    /// <summary>Writes this hop's header when the mode makes one (append_forward, sanitize_set, with mTLS).</summary>
    public static void Write(IBufferWriter<byte> output, RequestHead head, ForwardClientCertDetails mode, TlsPeerIdentity? peer)
    {
        if (peer is not { Presented: true } || mode is not (ForwardClientCertDetails.AppendForward or ForwardClientCertDetails.SanitizeSet))
        {
            return;
        }

        var element = peer.ForwardedClientCert;
        var existing = mode == ForwardClientCertDetails.AppendForward && head.Find(Name) is var field and >= 0 ? head.Value(field) : default;
        if (existing.IsEmpty)
        {
            Http1Writer.WriteHeader(output, Name, element);
            return;
        }

        var length = existing.Length + 1 + element.Length;
        var rented = length <= 1024 ? null : ArrayPool<byte>.Shared.Rent(length);
        var buffer = rented is null ? stackalloc byte[length] : rented.AsSpan(0, length);
        existing.CopyTo(buffer);
        buffer[existing.Length] = (byte)',';
        element.CopyTo(buffer[(existing.Length + 1)..]);
        Http1Writer.WriteHeader(output, Name, buffer);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
