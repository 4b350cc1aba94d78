using System.Globalization;

namespace MeshEdge.Functional.Tests.Harness;

/// <summary>
/// The bytes the kernel holds for loopback TCP connections, from /proc/net/tcp: a socket's
/// send queue (written by its process, not yet acknowledged by the peer) and its receive queue
/// (arrived, not yet read). With these a flow-control test accounts for every byte between a writer
/// and a reader, whatever size the kernel has tuned the socket buffers to, and what is left is what
/// the proxy itself holds. Only IPv4 sockets on 127.0.0.1 are looked at (the tests' and the proxy's
/// loopback sockets), where a (local port, remote port) pair names one connection.
/// </summary>
internal static class KernelTcpQueues
{
    private const string Established = "01";

    /// <summary>127.0.0.1 as /proc/net/tcp prints it: the address's four bytes as one little-endian word.</summary>
    private const string LoopbackHex = "0100007F";

    /// <summary>
    /// Bytes in the kernel on the way from the socket bound to <paramref name="fromPort"/> to its peer on
    /// <paramref name="toPort"/>: the sender's send queue plus the receiver's receive queue.
    /// </summary>
    public static long InFlight(int fromPort, int toPort) =>
        Find(fromPort, toPort).SendQueue + Find(toPort, fromPort).ReceiveQueue;

    /// <summary>The remote port of the one established connection accepted on <paramref name="listeningPort"/>.</summary>
    public static int PeerPortOf(int listeningPort)
    {
        var peers = Rows().Where(row => row.LocalPort == listeningPort && row.State == Established).Select(row => row.RemotePort).Distinct().ToList();
        Assert.True(peers.Count == 1, $"expected one connection accepted on port {listeningPort}, found {peers.Count}");
        return peers[0];
    }

    /// <summary>Established loopback sockets whose remote end is <paramref name="remotePort"/> (the client sides of its connections).</summary>
    public static int EstablishedTo(int remotePort) => Rows().Count(row => row.RemotePort == remotePort && row.State == Established);

    private static Row Find(int localPort, int remotePort)
    {
        var rows = Rows().Where(row => row.LocalPort == localPort && row.RemotePort == remotePort && row.State == Established).ToList();
        Assert.True(rows.Count == 1, $"expected one established socket {localPort} -> {remotePort} in /proc/net/tcp, found {rows.Count}");
        return rows[0];
    }

    private static IEnumerable<Row> Rows()
    {
        // "sl local_address rem_address st tx_queue:rx_queue ...", addresses as HEXADDR:HEXPORT.
        foreach (var line in File.ReadLines("/proc/net/tcp").Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (!fields[1].StartsWith(LoopbackHex, StringComparison.Ordinal) || !fields[2].StartsWith(LoopbackHex, StringComparison.Ordinal))
            {
                continue;
            }

            var queues = fields[4].Split(':');
            yield return new Row(
                Port(fields[1]),
                Port(fields[2]),
                fields[3],
                long.Parse(queues[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                long.Parse(queues[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        }
    }

    private static int Port(string address) => int.Parse(address[(address.IndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private readonly record struct Row(int LocalPort, int RemotePort, string State, long SendQueue, long ReceiveQueue);
}
