using MeshEdge.Config.Model;
using MeshEdge.Config.Tests.TestSupport;

namespace MeshEdge.Config.Tests;

/// <summary>
/// The mTLS identity keys, in TOML and JSON alike: a listener's <c>tls.match_subject_alt_names</c>, a
/// route's <c>match.tls</c>, and an HTTP listener's <c>forward_client_cert_details</c> and
/// <c>set_current_client_cert_details</c>.
/// </summary>
public sealed class TlsIdentityConfigTests
{
    private static readonly string FullToml = TlsListenerToml.HeadWith(
        httpSettings: """
            forward_client_cert_details = "append_forward"
            set_current_client_cert_details = { subject = true, uri = true, dns = true, cert = false, chain = true }

            """,
        routeMatch: """, tls = { presented = true, peer_uri_san = { prefix = "spiffe://cluster.local/ns/prod/" }, peer_dns_san = { exact = "Front.Prod.svc" } }""") + """
        [listeners.tls]
        client_certificate = "optional"
        client_ca = "/etc/meshedge/clients-ca.pem"
        match_subject_alt_names = [
          { san_type = "uri", exact = "spiffe://cluster.local/ns/prod/sa/frontend" },
          { san_type = "dns", prefix = "Worker." },
        ]

        [[listeners.tls.certificates]]
        certificate_chain = "/etc/meshedge/default.pem"
        private_key = "/etc/meshedge/default.key"
        """ + TlsListenerToml.Tail;

    private static readonly string FullJson = TlsListenerJson.Config(
        http: """
            "forward_client_cert_details": "append_forward",
            "set_current_client_cert_details": { "subject": true, "uri": true, "dns": true, "cert": false, "chain": true },
            """,
        routeMatch: """, "tls": { "presented": true, "peer_uri_san": { "prefix": "spiffe://cluster.local/ns/prod/" }, "peer_dns_san": { "exact": "Front.Prod.svc" } }""",
        tls: """
            "client_certificate": "optional", "client_ca": "/etc/meshedge/clients-ca.pem",
            "match_subject_alt_names": [
              { "san_type": "uri", "exact": "spiffe://cluster.local/ns/prod/sa/frontend" },
              { "san_type": "dns", "prefix": "Worker." }
            ],
            "certificates": [{ "certificate_chain": "/etc/meshedge/default.pem", "private_key": "/etc/meshedge/default.key" }]
            """);

    [Fact]
    public void Toml_and_json_bind_every_key_alike()
    {
        foreach (var config in new[] { LoadAssert.Succeeds(ConfigLoader.LoadToml(FullToml, "id.toml")), LoadAssert.Succeeds(ConfigLoader.LoadJson(FullJson, "id.json")) })
        {
            var listener = config.Listeners[0];
            Assert.Equal(
                [
                    new SubjectAltNameMatch(SubjectAltNameType.Uri, false, "spiffe://cluster.local/ns/prod/sa/frontend"),
                    new SubjectAltNameMatch(SubjectAltNameType.Dns, true, "worker."),
                ],
                listener.Tls!.MatchSubjectAltNames.ToArray());
            Assert.Equal(ForwardClientCertDetails.AppendForward, listener.Http!.ForwardClientCertDetails);
            Assert.Equal(ClientCertDetails.Subject | ClientCertDetails.Uri | ClientCertDetails.Dns | ClientCertDetails.Chain, listener.Http.SetCurrentClientCertDetails);
            var tls = listener.Http.VirtualHosts[0].Routes[0].Match.Tls!;
            Assert.True(tls.Presented);
            Assert.Equal(new SubjectAltNameMatch(SubjectAltNameType.Uri, true, "spiffe://cluster.local/ns/prod/"), tls.PeerUriSan);
            Assert.Equal(new SubjectAltNameMatch(SubjectAltNameType.Dns, false, "front.prod.svc"), tls.PeerDnsSan);
        }
    }

    [Fact]
    public void Defaults_sanitize_and_match_any_verified_certificate()
    {
        var toml = FullToml
            .Replace("forward_client_cert_details = \"append_forward\"\n", "", StringComparison.Ordinal)
            .Replace("set_current_client_cert_details = { subject = true, uri = true, dns = true, cert = false, chain = true }\n", "", StringComparison.Ordinal);
        toml = toml[..toml.IndexOf("match_subject_alt_names", StringComparison.Ordinal)] + toml[(toml.IndexOf("]\n\n[[listeners.tls.certificates]]", StringComparison.Ordinal) + 2)..];

        var listener = LoadAssert.Succeeds(ConfigLoader.LoadToml(toml, "id.toml")).Listeners[0];

        Assert.Empty(listener.Tls!.MatchSubjectAltNames);
        Assert.Equal(ForwardClientCertDetails.Sanitize, listener.Http!.ForwardClientCertDetails);
        Assert.Equal(ClientCertDetails.None, listener.Http.SetCurrentClientCertDetails);
    }

    public static TheoryData<string, string, string> Mistakes => new()
    {
        {
            "[listeners.tls]\nclient_certificate = \"required\"\nclient_ca = \"ca.pem\"\nmatch_subject_alt_names = [{ san_type = \"email\", exact = \"a@b\" }]\n",
            """{ "client_certificate": "required", "client_ca": "ca.pem", "match_subject_alt_names": [{ "san_type": "email", "exact": "a@b" }] }""",
            "listeners[0].tls.match_subject_alt_names[0].san_type: unknown san_type \"email\" (expected one of \"dns\", \"uri\")"
        },
        {
            "[listeners.tls]\nclient_certificate = \"required\"\nclient_ca = \"ca.pem\"\nmatch_subject_alt_names = [{ san_type = \"uri\", exact = \"a\", prefix = \"b\" }]\n",
            """{ "client_certificate": "required", "client_ca": "ca.pem", "match_subject_alt_names": [{ "san_type": "uri", "exact": "a", "prefix": "b" }] }""",
            "listeners[0].tls.match_subject_alt_names[0]: give exactly one of exact and prefix"
        },
        {
            "[listeners.tls]\nclient_certificate = \"required\"\nclient_ca = \"ca.pem\"\nmatch_subject_alt_names = [{ san_type = \"uri\", prefix = \"\" }]\n",
            """{ "client_certificate": "required", "client_ca": "ca.pem", "match_subject_alt_names": [{ "san_type": "uri", "prefix": "" }] }""",
            "listeners[0].tls.match_subject_alt_names[0].prefix: must not be empty"
        },
        {
            "[listeners.tls]\nclient_certificate = \"required\"\nclient_ca = \"ca.pem\"\nmatch_subject_alt_names = [{ exact = \"a\" }]\n",
            """{ "client_certificate": "required", "client_ca": "ca.pem", "match_subject_alt_names": [{ "exact": "a" }] }""",
            "listeners[0].tls.match_subject_alt_names[0].san_type: missing required key"
        },
        {
            "[listeners.tls]\nmatch_subject_alt_names = [{ san_type = \"dns\", exact = \"a\" }]\n",
            """{ "match_subject_alt_names": [{ "san_type": "dns", "exact": "a" }] }""",
            "listeners[0].tls.match_subject_alt_names: set client_certificate = \"optional\" or \"required\" to use it"
        },
        {
            "[listeners.http]\nforward_client_cert_details = \"append\"\n",
            """{ "http": { "forward_client_cert_details": "append" } }""",
            "listeners[0].http.forward_client_cert_details: unknown forward_client_cert_details mode \"append\" (expected one of \"sanitize\", \"forward_only\", \"append_forward\", \"sanitize_set\", \"always_forward_only\")"
        },
        {
            "[listeners.http]\nset_current_client_cert_details = { subjet = true }\n",
            """{ "http": { "set_current_client_cert_details": { "subjet": true } } }""",
            "listeners[0].http.set_current_client_cert_details.subjet: unknown key (did you mean \"subject\"?)"
        },
        {
            "[listeners.http]\nroute_tls = { presented = false, peer_uri_san = { exact = \"spiffe://a\" } }\n",
            """{ "http": { "route_tls": { "presented": false, "peer_uri_san": { "exact": "spiffe://a" } } } }""",
            "listeners[0].http.virtual_hosts[0].routes[0].match.tls.presented: a SAN condition needs a certificate: drop presented = false"
        },
        {
            "[listeners.http]\nroute_tls = { peer_uri_san = { suffix = \"/sa/x\" } }\n",
            """{ "http": { "route_tls": { "peer_uri_san": { "suffix": "/sa/x" } } } }""",
            "listeners[0].http.virtual_hosts[0].routes[0].match.tls.peer_uri_san.suffix: unknown key|listeners[0].http.virtual_hosts[0].routes[0].match.tls.peer_uri_san: give exactly one of exact and prefix"
        },
    };

    /// <summary>
    /// <paramref name="toml"/> and <paramref name="json"/> add to (or, under <c>http</c>, replace parts of) a
    /// minimal HTTP listener with one certificate; <c>route_tls</c> stands for the route's <c>match.tls</c>.
    /// </summary>
    [Theory]
    [MemberData(nameof(Mistakes))]
    public void Mistakes_name_the_key_in_toml_and_json_alike(string toml, string json, string expected)
    {
        Assert.Equal(expected.Split('|'), LoadAssert.Fails(ConfigLoader.LoadToml(TomlWith(toml), "id.toml")));
        Assert.Equal(expected.Split('|'), LoadAssert.Fails(ConfigLoader.LoadJson(JsonWith(json), "id.json")));
    }

    private static string TomlWith(string part)
    {
        var http = "";
        var routeTls = "";
        var tls = "[listeners.tls]\n";
        if (part.StartsWith("[listeners.http]\n", StringComparison.Ordinal))
        {
            var line = part["[listeners.http]\n".Length..];
            if (line.StartsWith("route_tls = ", StringComparison.Ordinal))
            {
                routeTls = ", tls = " + line["route_tls = ".Length..].TrimEnd();
            }
            else
            {
                http = line;
            }
        }
        else
        {
            tls = part;
        }

        return TlsListenerToml.HeadWith(http, routeTls) + tls + """
            [[listeners.tls.certificates]]
            certificate_chain = "a.pem"
            private_key = "a.key"
            """ + TlsListenerToml.Tail;
    }

    private static string JsonWith(string part)
    {
        using var document = System.Text.Json.JsonDocument.Parse(part);
        var root = document.RootElement;
        var http = "";
        var routeTls = "";
        var tls = "";
        if (root.TryGetProperty("http", out var httpPart))
        {
            foreach (var property in httpPart.EnumerateObject())
            {
                if (property.Name == "route_tls")
                {
                    routeTls = ", \"tls\": " + property.Value.GetRawText();
                }
                else
                {
                    http += $"\"{property.Name}\": {property.Value.GetRawText()}, ";
                }
            }
        }
        else
        {
            foreach (var property in root.EnumerateObject())
            {
                tls += $"\"{property.Name}\": {property.Value.GetRawText()}, ";
            }
        }

        return TlsListenerJson.Config(tls + """ "certificates": [{ "certificate_chain": "a.pem", "private_key": "a.key" }]""", http, routeTls);
    }
}
