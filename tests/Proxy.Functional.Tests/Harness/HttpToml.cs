using System.Net;

namespace MeshEdge.Functional.Tests.Harness;

/// <summary>
/// TOML for one <c>protocol = "http"</c> listener named "inbound" on an ephemeral port. Tests write the
/// part they are about (virtual hosts and routes, listener settings, clusters) as TOML text.
/// </summary>
internal static class HttpToml
{
    /// <summary>
    /// A whole config: <paramref name="http"/> is the body of <c>[listeners.http]</c> (settings first,
    /// then <c>[[listeners.http.virtual_hosts]]</c> tables); <paramref name="clusters"/> follow.
    /// </summary>
    public static string Config(string http, params string[] clusters) => $"""
        [runtime]
        workers = 1
        drain_timeout = "10s"

        [[listeners]]
        name = "inbound"
        address = "127.0.0.1:0"
        protocol = "http"

        [listeners.http]
        {http}

        {string.Join("\n", clusters)}
        """;

    /// <summary>Adds listener-level settings (<c>buffer_limit = ...</c>) to a config from <see cref="Config"/>.</summary>
    public static string WithListenerSettings(string config, string settings)
    {
        const string protocolLine = "protocol = \"http\"\n";
        return config.Contains(protocolLine, StringComparison.Ordinal)
            ? config.Replace(protocolLine, $"{protocolLine}{settings}\n", StringComparison.Ordinal)
            : throw new ArgumentException("not a config from HttpToml.Config: no protocol line to add the settings after", nameof(config));
    }

    /// <summary>Adds <c>[runtime]</c> settings (<c>idle_trim_after = ...</c>) to a config from <see cref="Config"/>.</summary>
    public static string WithRuntimeSettings(string config, string settings)
    {
        const string runtimeLine = "[runtime]\n";
        return config.Contains(runtimeLine, StringComparison.Ordinal)
            ? config.Replace(runtimeLine, $"{runtimeLine}{settings}\n", StringComparison.Ordinal)
            : throw new ArgumentException("not a config from HttpToml.Config: no [runtime] table to add the settings to", nameof(config));
    }

    /// <summary>Runs a config from <see cref="Config"/> on <paramref name="workers"/> workers instead of one.</summary>
    public static string WithWorkers(string config, int workers)
    {
        const string workersLine = "workers = 1\n";
        return config.Contains(workersLine, StringComparison.Ordinal)
            ? config.Replace(workersLine, $"workers = {workers}\n", StringComparison.Ordinal)
            : throw new ArgumentException("not a config from HttpToml.Config: no workers line", nameof(config));
    }

    /// <summary>Adds an admin API on an ephemeral port (<see cref="ProxyProcess.ListenerAddress"/>("admin")) to a config from <see cref="Config"/>.</summary>
    public static string WithAdmin(string config) => config + "\n\n[admin]\naddress = \"127.0.0.1:0\"\n";

    /// <summary>
    /// A whole config whose one route (<see cref="CatchAll"/>, with <paramref name="routeExtras"/>) sends
    /// everything to the cluster "app" in <paramref name="cluster"/>; <paramref name="http"/> are listener settings.
    /// </summary>
    public static string CatchAllConfig(string cluster, string http = "", string routeExtras = "") =>
        Config(http + "\n" + CatchAll(routeExtras: routeExtras), cluster);

    /// <summary>One virtual host for every domain with one route sending everything to <paramref name="cluster"/>.</summary>
    public static string CatchAll(string cluster = "app", string routeExtras = "") => $$"""
        [[listeners.http.virtual_hosts]]
        name = "all"
        domains = ["*"]
        [[listeners.http.virtual_hosts.routes]]
        match = { prefix = "/" }
        cluster = "{{cluster}}"
        {{routeExtras}}
        """;

    /// <summary>A <c>[[clusters]]</c> table; <paramref name="extras"/> are more TOML lines inside it.</summary>
    public static string Cluster(string name, IEnumerable<IPEndPoint> hosts, string extras = "") => $"""
        [[clusters]]
        name = "{name}"
        hosts = [{string.Join(", ", hosts.Select(h => $"\"{h}\""))}]
        {extras}
        """;

    public static string Cluster(string name, params IPEndPoint[] hosts) => Cluster(name, hosts, "");
}
