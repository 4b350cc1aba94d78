using MeshEdge.Config.Model;
using MeshEdge.Config.Tree;

namespace MeshEdge.Config.Binding;

/// <summary>Binds the optional <c>[standby]</c> table and checks that the clusters it names exist and pair up.</summary>
internal static class StandbyBinder
{
    public static StandbyConfig? Bind(TableReader reader, IReadOnlyCollection<string> clusterNames)
    {
        var errorsBefore = reader.Errors.Count;
        var local = Names(reader, "local_cluster");
        var peers = Names(reader, "peers_cluster");
        var share = FractionReader.Read(reader, "local_share", StandbyConfig.DefaultLocalShare);
        reader.ReportUnknownKeys();
        if (local is null || peers is null)
        {
            return null;
        }

        CheckClusters(reader, "local_cluster", local, clusterNames);
        CheckClusters(reader, "peers_cluster", peers, clusterNames);
        if (local.Count != peers.Count)
        {
            reader.Errors.Add(reader.ChildPath("peers_cluster"), reader.Table.PositionOf("peers_cluster"),
                $"names {peers.Count} cluster(s) for {local.Count} local one(s); they pair by position");
        }
        else if (local.Intersect(peers).FirstOrDefault() is { } both)
        {
            reader.Errors.Add(reader.ChildPath("peers_cluster"), reader.Table.PositionOf("peers_cluster"),
                $"{ConfigScalar.Quote(both)} is a local cluster too; the peers' cluster must be another");
        }

        return reader.Errors.Count > errorsBefore ? null : new StandbyConfig([.. local], [.. peers], share);
    }

    /// <summary>A name or an array of names (at least one); null when missing or wrong.</summary>
    private static List<string>? Names(TableReader reader, string key)
    {
        if (reader.Find(key) is ConfigArray)
        {
            var names = reader.StringArray(key);
            if (names is { Count: 0 })
            {
                reader.Errors.Add(reader.ChildPath(key), reader.Table.PositionOf(key), "expected at least one cluster name");
                return null;
            }

            return names;
        }

        return reader.RequiredString(key) is { } name ? [name] : null;
    }

    private static void CheckClusters(TableReader reader, string key, List<string> names, IReadOnlyCollection<string> clusterNames)
    {
        foreach (var name in names.Where(name => !clusterNames.Contains(name)))
        {
            var hint = clusterNames.Count == 0 ? " (no clusters are defined)" : "";
            reader.Errors.Add(reader.ChildPath(key), reader.Table.PositionOf(key), $"unknown cluster {ConfigScalar.Quote(name)}{hint}");
        }
    }
}
