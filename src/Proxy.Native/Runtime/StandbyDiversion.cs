namespace MeshEdge.Native.Runtime;

/// <summary>
/// Standby's choice of cluster, resolved from <c>[standby]</c> against the snapshot: a request routed to
/// a local cluster (one whose <paramref name="PeersOf"/> entry is not -1) stays there when a uniform
/// 64-bit draw falls below <paramref name="KeepBelow"/> (the local share of 2^64), else goes to its peers' cluster.
/// </summary>
internal sealed record StandbyDiversion(int[] PeersOf, ulong KeepBelow)
{
    public static StandbyDiversion Of(int clusterCount, IEnumerable<(int Local, int Peers)> pairs, double localShare)
    {
        var peersOf = new int[clusterCount];
        Array.Fill(peersOf, -1);
        foreach (var (local, peers) in pairs)
        {
            peersOf[local] = peers;
        }

        return new StandbyDiversion(peersOf, localShare >= 1 ? ulong.MaxValue : (ulong)(localShare * 18446744073709551616.0));
    }
}
