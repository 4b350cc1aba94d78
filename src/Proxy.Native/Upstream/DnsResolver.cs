using System.Net;
using System.Net.Sockets;
using MeshEdge.Config.Model;
using MeshEdge.Native.Hosting;

namespace MeshEdge.Native.Upstream;

/// <summary>
/// Keeps a strict_dns cluster's hosts equal to what its names resolve to: every address of every
/// name is a host (with that name's weight and priority), resolved again every dns_refresh_rate
/// through the system resolver (so /etc/hosts and nsswitch apply). A failed lookup keeps the
/// name's last addresses: a resolver hiccup must not empty a cluster that still works.
/// </summary>
internal sealed class DnsResolver(ClusterRuntime cluster)
{
    private readonly Dictionary<string, IPAddress[]> _lastAnswers = [];

    /// <summary>Keeps resolving every refresh interval until stopped; the first lookup is skipped when start-up made it.</summary>
    public async Task RunAsync(CancellationToken stopping, bool initialDone)
    {
        var skip = initialDone;
        while (!stopping.IsCancellationRequested)
        {
            if (!skip)
            {
                await RefreshAsync(stopping);
            }

            skip = false;
            try
            {
                await Task.Delay(cluster.Config.DnsRefreshRate, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async Task RefreshAsync(CancellationToken stopping)
    {
        var hosts = new List<HostConfig>();
        foreach (var entry in cluster.Config.Hosts)
        {
            if (entry.Hostname is not { } name)
            {
                hosts.Add(entry);
                continue;
            }

            foreach (var address in await ResolveAsync(name, stopping))
            {
                hosts.Add(entry with { Address = new IPEndPoint(address, entry.Address.Port), Hostname = name });
            }
        }

        if (!stopping.IsCancellationRequested)
        {
            cluster.UpdateHosts(hosts);
        }
    }

    private async Task<IPAddress[]> ResolveAsync(string name, CancellationToken stopping)
    {
        try
        {
            var family = cluster.Config.DnsLookupFamily switch
            {
                DnsLookupFamily.V4Only => AddressFamily.InterNetwork,
                DnsLookupFamily.V6Only => AddressFamily.InterNetworkV6,
                _ => AddressFamily.Unspecified,
            };
            var answer = await Dns.GetHostAddressesAsync(name, family, stopping);
            // Sorted, so that the same answer in another order is no change.
            Array.Sort(answer, (a, b) => string.CompareOrdinal(a.ToString(), b.ToString()));
            _lastAnswers[name] = answer;
            return answer;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            var last = _lastAnswers.GetValueOrDefault(name) ?? [];
            if (!stopping.IsCancellationRequested)
            {
                Log.Warn("dns resolution failed", ("cluster", cluster.Name), ("name", name), ("reason", e.Message), ("kept_addresses", last.Length));
            }

            return last;
        }
    }
}
