using MeshEdge.Config.Model;

namespace MeshEdge.Native.Tls;

/// <summary>
/// Whether two versions of a listener's <c>tls</c> table would build the same contexts: element by
/// element for the lists (a record compares its arrays by reference), and by the record's own
/// equality for everything else, so a member added later counts without a change here.
/// </summary>
internal static class TlsConfigComparer
{
    public static bool Same(TlsConfig a, TlsConfig b) =>
        a.Certificates.Length == b.Certificates.Length
        && a.Certificates.Zip(b.Certificates).All(pair => SameCertificate(pair.First, pair.Second))
        && a.Alpn.SequenceEqual(b.Alpn)
        && a.MatchSubjectAltNames.SequenceEqual(b.MatchSubjectAltNames)
        && WithoutLists(a) == WithoutLists(b);

    private static bool SameCertificate(TlsCertificateConfig a, TlsCertificateConfig b) =>
        a.ServerNames.SequenceEqual(b.ServerNames) && a with { ServerNames = default } == b with { ServerNames = default };

    private static TlsConfig WithoutLists(TlsConfig config) => config with { Certificates = default, Alpn = default, MatchSubjectAltNames = default };
}
