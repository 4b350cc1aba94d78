using System.Runtime.InteropServices;
using MeshEdge.Config.Model;
using MeshEdge.Native.Tls.Interop;
using static MeshEdge.Native.Tls.Interop.X509Constants;

namespace MeshEdge.Native.Tls;

/// <summary>
/// The client-certificate check with SAN matching (a listener's <c>match_subject_alt_names</c>):
/// OpenSSL verifies the chain as before, then the leaf must carry a SAN matching one of the
/// listener's conditions, or the handshake fails with a certificate-verify failure that is counted
/// as san_mismatch. As in Envoy, a certificate that is presented must pass even under "optional":
/// only a client that sends none goes through unauthenticated.
/// </summary>
internal static unsafe class TlsPeerVerifier
{
    /// <summary>Installs the check on <paramref name="ctx"/> when the listener has SAN conditions.</summary>
    public static void Install(nint ctx, TlsConfig config)
    {
        if (config.MatchSubjectAltNames.IsEmpty)
        {
            return;
        }

        SubjectAltNameMatcher[] matchers = [.. config.MatchSubjectAltNames.Select(m => new SubjectAltNameMatcher(m))];

        // Lives as long as the context: OpenSSL hands the pointer back on every client certificate.
        var handle = GCHandle.ToIntPtr(GCHandle.Alloc(matchers));
        LibSsl.SSL_CTX_set_cert_verify_callback(ctx, (nint)(delegate* unmanaged<nint, nint, int>)&VerifyChain, handle);
    }

    /// <summary>Tells a SAN mismatch apart from other certificate failures, by the verify result our check left.</summary>
    public static TlsFailureReason Refine(nint ssl, TlsFailureReason reason) =>
        reason == TlsFailureReason.BadClientCertificate && LibSsl.SSL_get_verify_result(ssl) == X509_V_ERR_APPLICATION_VERIFICATION
            ? TlsFailureReason.SanMismatch
            : reason;

    [UnmanagedCallersOnly]
    private static int VerifyChain(nint storeContext, nint arg)
    {
        if (LibCrypto.X509_verify_cert(storeContext) != 1)
        {
            return 0;
        }

        var matchers = (SubjectAltNameMatcher[])GCHandle.FromIntPtr(arg).Target!;
        if (CertificateReader.AnySanMatches(LibCrypto.X509_STORE_CTX_get0_cert(storeContext), matchers))
        {
            return 1;
        }

        LibCrypto.X509_STORE_CTX_set_error(storeContext, X509_V_ERR_APPLICATION_VERIFICATION);
        return 0;
    }
}
