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
