using MeshEdge.Functional.Tests.Harness;

namespace MeshEdge.Functional.Tests.Tls;

/// <summary>An <see cref="HttpToml"/> config with a <c>[listeners.tls]</c> table and an admin listener (for /stats).</summary>
internal static class TlsToml
{
    /// <summary>
    /// <paramref name="http"/> and <paramref name="clusters"/> as for <see cref="HttpToml.Config"/>;
    /// <paramref name="tls"/> is the body of <c>[listeners.tls]</c> (settings, then certificate tables).
    /// </summary>
    public static string Config(string http, string tls, params string[] clusters)
    {
        var config = HttpToml.Config(http + "\n\n[listeners.tls]\n" + tls, clusters);
        return "[admin]\naddress = \"127.0.0.1:0\"\n\n" + config;
    }

    /// <summary>Puts an admin listener (for /stats and /metrics) in front of <paramref name="config"/>.</summary>
    public static string WithAdmin(string config) => "[admin]\naddress = \"127.0.0.1:0\"\n\n" + config;

    /// <summary>One <c>[[listeners.tls.certificates]]</c> table.</summary>
    public static string Certificate((string Chain, string Key) files, params string[] serverNames) => $"""

        [[listeners.tls.certificates]]
        certificate_chain = "{files.Chain}"
        private_key = "{files.Key}"
        server_names = [{string.Join(", ", serverNames.Select(n => $"\"{n}\""))}]

        """;
}
