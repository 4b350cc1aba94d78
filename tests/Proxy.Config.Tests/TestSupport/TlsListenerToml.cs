namespace MeshEdge.Config.Tests.TestSupport;

/// <summary>
/// An HTTP listener "web" routing everything to cluster "app", around its <c>[listeners.tls]</c>
/// table: tests of listener TLS keys write the table between <see cref="Head"/> and <see cref="Tail"/>.
/// </summary>
internal static class TlsListenerToml
{
    public const string Head = """
        [[listeners]]
        name = "web"
        address = "127.0.0.1:8443"
        protocol = "http"

        [[listeners.http.virtual_hosts]]
        name = "all"
        [[listeners.http.virtual_hosts.routes]]
        match = { prefix = "/" }
        cluster = "app"

        """;

    public const string Tail = """

        [[clusters]]
        name = "app"
        hosts = ["127.0.0.1:8080"]
        """;

    /// <summary>
    /// <see cref="Head"/> with <paramref name="httpSettings"/> in a <c>[listeners.http]</c> table and
    /// <paramref name="routeMatch"/> (such as <c>, tls = { presented = true }</c>) added to the route's match.
    /// </summary>
    public static string HeadWith(string httpSettings, string routeMatch = "") => Head
        .Replace("[[listeners.http.virtual_hosts]]", $"[listeners.http]\n{httpSettings}\n[[listeners.http.virtual_hosts]]", StringComparison.Ordinal)
        .Replace("match = { prefix = \"/\" }", $"match = {{ prefix = \"/\"{routeMatch} }}", StringComparison.Ordinal);
}
