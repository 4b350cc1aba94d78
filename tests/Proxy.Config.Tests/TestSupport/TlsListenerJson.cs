namespace MeshEdge.Config.Tests.TestSupport;

/// <summary>
/// <see cref="TlsListenerToml"/>'s config as JSON: an HTTP listener "web" routing everything to
/// cluster "app"; each argument is the members of one object, written in where that object is.
/// </summary>
internal static class TlsListenerJson
{
    /// <param name="tls">The members of the listener's <c>tls</c> object.</param>
    /// <param name="http">Members put before <c>virtual_hosts</c> in the listener's <c>http</c> object, each followed by a comma.</param>
    /// <param name="routeMatch">Added to the route's match after <c>"prefix": "/"</c>, such as <c>, "tls": {...}</c>.</param>
    /// <param name="secrets">The elements of a top-level <c>secrets</c> array; none when empty.</param>
    /// <param name="clusterTls">The members of the cluster's <c>tls</c> object; none when null.</param>
    public static string Config(string tls, string http = "", string routeMatch = "", string secrets = "", string? clusterTls = null) => $$"""
        {
          {{(secrets.Length == 0 ? "" : $"\"secrets\": [ {secrets} ],")}}
          "listeners": [{
            "name": "web", "address": "127.0.0.1:8443", "protocol": "http",
            "http": { {{http}}"virtual_hosts": [{ "name": "all", "routes": [{ "match": { "prefix": "/"{{routeMatch}} }, "cluster": "app" }] }] },
            "tls": { {{tls}} }
          }],
          "clusters": [{ "name": "app", "hosts": ["127.0.0.1:8080"]{{(clusterTls is null ? "" : $", \"tls\": {{ {clusterTls} }}")}} }]
        }
        """;
}
