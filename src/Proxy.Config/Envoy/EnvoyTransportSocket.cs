using MeshEdge.Config.Translation;
using MeshEdge.Config.Tree;

namespace MeshEdge.Config.Envoy;

/// <summary>
/// A listener's or a cluster's <c>transport_socket</c>: <c>raw_buffer</c> is plaintext, the TLS
/// socket's Downstream/UpstreamTlsContext becomes the <c>tls</c> table. Any other socket that
/// carries security is refused (plaintext in its place would be a silent downgrade); the rest are
/// reported and plain TCP is used.
/// </summary>
internal static class EnvoyTransportSocket
{
    /// <summary>Envoy's endpoint metadata namespace that <c>transport_socket_matches</c> match on.</summary>
    private const string MatchNamespace = "envoy.transport_socket_match";

    public static void Translate(SourceTable socket, TargetTable target, bool downstream)
    {
        var name = socket.Table.TryGet("name", out var n) && n is ConfigScalar s ? s.Text : "";
        var type = EnvoyExtension.TypeOf(socket, out var typed);
        socket.Ignore("name");
        socket.Finish();
        var expected = downstream ? EnvoyTlsCommon.DownstreamTlsContext : EnvoyTlsCommon.UpstreamTlsContext;
        if (type == EnvoyExtension.RawBuffer)
        {
            typed?.TakeAll();
            return;
        }

        if (type == expected && typed is not null)
        {
            if (downstream)
            {
                EnvoyDownstreamTlsTranslator.Translate(typed, target);
            }
            else
            {
                EnvoyUpstreamTlsTranslator.Translate(typed, target);
            }

            return;
        }

        typed?.TakeAll();
        var what = downstream ? "the listener" : "the cluster";
        var label = type.Length > 0 ? type : name;
        if (EnvoyExtension.IsSecurity(type, name) || type.Length == 0)
        {
            socket.Context.Refuse(socket.Path, socket.Position,
                $"transport socket {label} is not supported ({expected} is); {what} would fall back to plaintext, so the config is refused");
        }
        else
        {
            socket.Context.Unsupported(socket.Path, socket.Position, $"transport socket {label} is not supported; {what} uses plain TCP");
        }
    }

    /// <summary>
    /// A cluster's <c>transport_socket</c> and <c>transport_socket_matches</c> (Istio's <c>tlsMode</c>
    /// pair). Envoy picks a socket per endpoint, the first match whose criteria its metadata meets;
    /// MeshEdge has one per cluster. When every endpoint picks the same entry, that one is used;
    /// when they differ or are not known (EDS), the first TLS entry is used for all, so that a host
    /// that Envoy would reach over TLS is never reached in plaintext. The entries not used are reported.
    /// </summary>
    public static void TranslateCluster(SourceTable cluster, TargetTable target)
    {
        var fallback = cluster.Child("transport_socket");
        var matches = cluster.Children("transport_socket_matches").ToList();
        if (matches.Count == 0)
        {
            if (fallback is not null)
            {
                Translate(fallback, target, downstream: false);
            }

            return;
        }

        var picks = EndpointMetadata(cluster.Table).Select(metadata => matches.FindIndex(m => Meets(m.Table, metadata))).Distinct().ToList();
        int chosen;
        string why;
        if (picks.Count == 1)
        {
            chosen = picks[0];
            why = "every endpoint's metadata picks another entry";
        }
        else
        {
            chosen = matches.FindIndex(IsTls);
            if (chosen < 0 && picks.Count > 1)
            {
                chosen = picks.FirstOrDefault(p => p >= 0, -1);
            }

            why = picks.Count == 0
                ? "the endpoints are not known here (EDS); one transport socket per cluster is used: the TLS one"
                : "the endpoints pick different entries; one transport socket per cluster is used: the TLS one";
        }

        for (var i = 0; i < matches.Count; i++)
        {
            var match = matches[i];
            match.Ignore("name", "match");
            if (i == chosen && match.Child("transport_socket") is { } socket)
            {
                Translate(socket, target, downstream: false);
            }
            else
            {
                match.TakeAll();
                match.Context.Unsupported(match.Path, match.Position, $"left out: {why}");
            }

            match.Finish();
        }

        if (fallback is not null && chosen >= 0)
        {
            fallback.TakeAll();
            fallback.Context.Unsupported(fallback.Path, fallback.Position, "left out: a transport_socket_matches entry is used");
        }
        else if (fallback is not null)
        {
            Translate(fallback, target, downstream: false);
        }
    }

    private static bool IsTls(SourceTable match) =>
        match.Table.TryGet("transport_socket", out var node) && node is ConfigTable socket
        && (Lookup(socket, "name") is ConfigScalar { Text: "envoy.transport_sockets.tls" or "tls" }
            || (Lookup(socket, "typed_config") is ConfigTable typed && Lookup(typed, "@type") is ConfigScalar type
                && type.Text.EndsWith(EnvoyTlsCommon.UpstreamTlsContext, StringComparison.Ordinal)));

    /// <summary>Whether <paramref name="metadata"/> has every key of the entry's <c>match</c> with the same value (an empty match meets all).</summary>
    private static bool Meets(ConfigTable match, Dictionary<string, string> metadata)
    {
        if (Lookup(match, "match") is not ConfigTable criteria)
        {
            return true;
        }

        return criteria.Entries.All(e => e.Value is ConfigScalar value && metadata.TryGetValue(e.Key, out var have) && have == value.Text);
    }

    /// <summary>Each static endpoint's <c>envoy.transport_socket_match</c> metadata (read without taking keys; the endpoints are translated elsewhere).</summary>
    private static List<Dictionary<string, string>> EndpointMetadata(ConfigTable cluster)
    {
        var found = new List<Dictionary<string, string>>();
        if (Lookup(cluster, "load_assignment") is not ConfigTable assignment || Lookup(assignment, "endpoints") is not ConfigArray localities)
        {
            return found;
        }

        foreach (var locality in localities.Items.OfType<ConfigTable>())
        {
            foreach (var endpoint in (Lookup(locality, "lb_endpoints") as ConfigArray)?.Items.OfType<ConfigTable>() ?? [])
            {
                var values = new Dictionary<string, string>(StringComparer.Ordinal);
                if (Lookup(endpoint, "metadata") is ConfigTable metadata && Lookup(metadata, "filter_metadata") is ConfigTable filters
                    && filters.TryGet(MatchNamespace, out var node) && node is ConfigTable entries)
                {
                    foreach (var entry in entries.Entries)
                    {
                        if (entry.Value is ConfigScalar scalar)
                        {
                            values[entry.Key] = scalar.Text;
                        }
                    }
                }

                found.Add(values);
            }
        }

        return found;
    }

    /// <summary>A key under its proto name or its JSON (lowerCamelCase) name.</summary>
    private static ConfigNode? Lookup(ConfigTable table, string key)
    {
        if (table.TryGet(key, out var node))
        {
            return node;
        }

        var parts = key.Split('_');
        var camel = parts[0] + string.Concat(parts.Skip(1).Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..]));
        return table.TryGet(camel, out node) ? node : null;
    }
}
