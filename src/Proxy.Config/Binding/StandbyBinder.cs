using MeshEdge.Config.Model;
using MeshEdge.Config.Tree;

namespace MeshEdge.Config.Binding;

/// <summary>Binds the optional <c>[standby]</c> table and checks that the clusters it names exist.</summary>
internal static class StandbyBinder
{
    public static StandbyConfig? Bind(TableReader reader, IReadOnlyCollection<string> clusterNames)
    {
        var local = reader.RequiredString("local_cluster");
        var peers = reader.RequiredString("peers_cluster");
        var share = FractionReader.Read(reader, "local_share", StandbyConfig.DefaultLocalShare);
        reader.ReportUnknownKeys();
        CheckCluster(reader, "local_cluster", local, clusterNames);
        CheckCluster(reader, "peers_cluster", peers, clusterNames);
        if (local is not null && local == peers)
        {
            reader.Errors.Add(reader.ChildPath("peers_cluster"), reader.Table.PositionOf("peers_cluster"),
                "the peers' cluster must not be the local application's cluster");
        }

        return local is null || peers is null ? null : new StandbyConfig(local, peers, share);
    }

    private static void CheckCluster(TableReader reader, string key, string? name, IReadOnlyCollection<string> clusterNames)
    {
        if (name is not null && !clusterNames.Contains(name))
        {
            var hint = clusterNames.Count == 0 ? " (no clusters are defined)" : "";
            reader.Errors.Add(reader.ChildPath(key), reader.Table.PositionOf(key), $"unknown cluster {ConfigScalar.Quote(name)}{hint}");
        }
    }
}
