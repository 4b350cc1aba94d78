using System.Collections.Immutable;
using MeshEdge.Config.Model;

namespace MeshEdge.Config.Binding;

/// <summary>
/// Binds conditions on a peer certificate's SANs: a listener's <c>tls.match_subject_alt_names</c>
/// (<c>[{ san_type = "uri", prefix = "spiffe://cluster.local/ns/prod/" }]</c>, Envoy's names) and a
/// route's <c>match.tls.peer_uri_san</c> / <c>peer_dns_san</c> (<c>{ exact = "..." }</c>).
/// </summary>
internal static class SubjectAltNameBinder
{
    private static readonly (string Name, SubjectAltNameType Value)[] Types = [("dns", SubjectAltNameType.Dns), ("uri", SubjectAltNameType.Uri)];

    /// <summary>The listener's list; empty when the key is absent.</summary>
    public static ImmutableArray<SubjectAltNameMatch> BindList(TableReader tls, string key)
    {
        var matches = ImmutableArray.CreateBuilder<SubjectAltNameMatch>();
        foreach (var item in tls.TableArray(key))
        {
            var type = item.FindRequired("san_type") is null ? SubjectAltNameType.Dns : item.Choice("san_type", SubjectAltNameType.Dns, "san_type", Types);
            if (BindValue(item, type) is { } match)
            {
                matches.Add(match);
            }
        }

        return matches.ToImmutable();
    }

    /// <summary>One <c>{ exact = ... }</c> or <c>{ prefix = ... }</c> table for SANs of <paramref name="type"/>; null when absent or wrong.</summary>
    public static SubjectAltNameMatch? BindOptional(TableReader parent, string key, SubjectAltNameType type) =>
        parent.OptionalTableReader(key) is { } reader ? BindValue(reader, type) : null;

    private static SubjectAltNameMatch? BindValue(TableReader reader, SubjectAltNameType type)
    {
        var exact = reader.OptionalString("exact");
        var prefix = reader.OptionalString("prefix");
        reader.ReportUnknownKeys();
        if ((exact is null) == (prefix is null))
        {
            reader.Errors.Add(reader.Path, reader.Table.Position, "give exactly one of exact and prefix");
            return null;
        }

        var value = exact ?? prefix!;
        if (value.Length == 0)
        {
            var key = exact is not null ? "exact" : "prefix";
            reader.Errors.Add(reader.ChildPath(key), reader.Table.PositionOf(key), "must not be empty");
            return null;
        }

        return new SubjectAltNameMatch(type, prefix is not null, type == SubjectAltNameType.Dns ? value.ToLowerInvariant() : value);
    }
}
