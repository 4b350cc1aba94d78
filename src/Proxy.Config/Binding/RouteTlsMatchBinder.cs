using MeshEdge.Config.Model;

namespace MeshEdge.Config.Binding;

/// <summary>Binds a route's <c>match.tls</c>: <c>presented = true/false</c>, <c>peer_uri_san</c>, <c>peer_dns_san</c>.</summary>
internal static class RouteTlsMatchBinder
{
    public static RouteTlsMatchConfig? BindOptional(TableReader match)
    {
        if (match.OptionalTableReader("tls") is not { } reader)
        {
            return null;
        }

        bool? presented = reader.Find("presented") is null ? null : reader.Bool("presented", false);
        var uri = SubjectAltNameBinder.BindOptional(reader, "peer_uri_san", SubjectAltNameType.Uri);
        var dns = SubjectAltNameBinder.BindOptional(reader, "peer_dns_san", SubjectAltNameType.Dns);
        reader.ReportUnknownKeys();
        if (presented == false && (uri is not null || dns is not null))
        {
            reader.Errors.Add(reader.ChildPath("presented"), reader.Table.PositionOf("presented"), "a SAN condition needs a certificate: drop presented = false");
        }

        return new RouteTlsMatchConfig(presented) { PeerUriSan = uri, PeerDnsSan = dns };
    }
}
