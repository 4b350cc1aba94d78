using MeshEdge.Config.Model;
using MeshEdge.Config.Tests.TestSupport;

namespace MeshEdge.Config.Tests;

/// <summary>A listener's <c>tls.session_tickets</c> and <c>tls.prefer_server_ciphers</c>, in TOML and JSON alike.</summary>
public sealed class TlsSessionKeysTests
{
    private const string Toml = TlsListenerToml.Head + """
        [listeners.tls]
        KEYS
        [[listeners.tls.certificates]]
        certificate_chain = "a.pem"
        private_key = "a.key"
        """ + TlsListenerToml.Tail;

    private static readonly string Json = TlsListenerJson.Config("""KEYS "certificates": [{ "certificate_chain": "a.pem", "private_key": "a.key" }]""");

    private static IEnumerable<ProxyConfig> Both(string tomlKeys, string jsonKeys) =>
    [
        LoadAssert.Succeeds(ConfigLoader.LoadToml(Toml.Replace("KEYS", tomlKeys, StringComparison.Ordinal), "tls.toml")),
        LoadAssert.Succeeds(ConfigLoader.LoadJson(Json.Replace("KEYS", jsonKeys, StringComparison.Ordinal), "tls.json")),
    ];

    [Fact]
    public void Defaults_are_one_ticket_and_the_servers_cipher_order()
    {
        foreach (var config in Both("", ""))
        {
            var tls = config.Listeners[0].Tls!;
            Assert.Equal((1, true), (tls.SessionTickets, tls.PreferServerCiphers));
        }
    }

    [Fact]
    public void Toml_and_json_bind_both_keys_alike()
    {
        foreach (var config in Both("session_tickets = 0\nprefer_server_ciphers = false", "\"session_tickets\": 0, \"prefer_server_ciphers\": false,"))
        {
            var tls = config.Listeners[0].Tls!;
            Assert.Equal((0, false), (tls.SessionTickets, tls.PreferServerCiphers));
        }

        foreach (var config in Both("session_tickets = 4", "\"session_tickets\": 4,"))
        {
            Assert.Equal(4, config.Listeners[0].Tls!.SessionTickets);
        }
    }

    [Theory]
    [InlineData("session_tickets = 17", "\"session_tickets\": 17,", "listeners[0].tls.session_tickets")]
    [InlineData("session_tickets = -1", "\"session_tickets\": -1,", "listeners[0].tls.session_tickets")]
    [InlineData("prefer_server_ciphers = \"yes\"", "\"prefer_server_ciphers\": \"yes\",", "listeners[0].tls.prefer_server_ciphers")]
    public void Bad_values_name_the_key_in_toml_and_json_alike(string tomlKeys, string jsonKeys, string keyPath)
    {
        var toml = LoadAssert.Fails(ConfigLoader.LoadToml(Toml.Replace("KEYS", tomlKeys, StringComparison.Ordinal), "tls.toml"));
        var json = LoadAssert.Fails(ConfigLoader.LoadJson(Json.Replace("KEYS", jsonKeys, StringComparison.Ordinal), "tls.json"));

        Assert.Equal(toml, json);
        Assert.StartsWith(keyPath + ": ", Assert.Single(toml), StringComparison.Ordinal);
    }
}
