using MeshEdge.Config.Model;
using MeshEdge.Config.Tests.TestSupport;
using static MeshEdge.Config.Tests.Envoy.EnvoyBootstrapText;

namespace MeshEdge.Config.Tests.Envoy;

/// <summary>Envoy's Downstream/UpstreamTlsContext into listeners' and clusters' <c>tls</c> tables; what cannot be honoured refuses or is reported.</summary>
public sealed class EnvoyTlsTranslationTests
{
    private const string Pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

    private static string Downstream(string context) => $$"""
        , "transport_socket": { "name": "envoy.transport_sockets.tls", "typed_config": {
            "@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext", {{context}} } }
        """;

    private static string Upstream(string context) => $$"""
        , "transport_socket": { "name": "envoy.transport_sockets.tls", "typed_config": {
            "@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext"{{context}} } }
        """;

    private const string FileCertificate = """
        "tls_certificates": [ { "certificate_chain": { "filename": "/certs/server.pem" }, "private_key": { "filename": "/certs/server.key" } } ]
        """;

    private static ConfigLoadResult Load(string chainExtra, string clusterExtra = "") =>
        ConfigLoader.LoadJson(Bootstrap(Listener(HttpFilter(Route()), chainExtra: chainExtra), Cluster(extra: clusterExtra)), "envoy.json");

    [Fact]
    public void A_downstream_context_with_mtls_becomes_the_listeners_tls_table()
    {
        var result = Load(Downstream($$"""
            "require_client_certificate": true,
            "common_tls_context": {
              {{FileCertificate}},
              "validation_context": {
                "trusted_ca": { "filename": "/certs/root.pem" },
                "match_typed_subject_alt_names": [
                  { "san_type": "URI", "matcher": { "prefix": "spiffe://cluster.local/ns/prod/" } },
                  { "san_type": "DNS", "matcher": { "exact": "Client.Example.com" } } ] },
              "alpn_protocols": ["h2", "http/1.1"],
              "tls_params": { "tls_minimum_protocol_version": "TLSv1_2", "tls_maximum_protocol_version": "TLSv1_3",
                "cipher_suites": ["[ECDHE-ECDSA-AES128-GCM-SHA256|ECDHE-ECDSA-CHACHA20-POLY1305]", "ECDHE-RSA-AES128-GCM-SHA256"] } }
            """), "");

        var tls = LoadAssert.Succeeds(result).Listeners[0].Tls!;
        var certificate = Assert.Single(tls.Certificates);
        Assert.Equal(("/certs/server.pem", "/certs/server.key"), (certificate.CertificateChain.Path, certificate.PrivateKey.Path));
        Assert.Equal((TlsClientCertificate.Required, "/certs/root.pem"), (tls.ClientCertificate, tls.ClientCa?.Path));
        Assert.Equal(
            [new SubjectAltNameMatch(SubjectAltNameType.Uri, true, "spiffe://cluster.local/ns/prod/"), new SubjectAltNameMatch(SubjectAltNameType.Dns, false, "client.example.com")],
            tls.MatchSubjectAltNames.ToArray());
        Assert.Equal(["h2", "http/1.1"], tls.Alpn.ToArray());
        Assert.Equal((TlsVersion.Tls12, TlsVersion.Tls13), (tls.MinVersion, tls.MaxVersion));
        Assert.Equal("ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-AES128-GCM-SHA256", tls.Ciphers);
        Assert.Empty(result.Translation!.Unsupported);
    }

    [Fact]
    public void A_validation_context_without_a_requirement_asks_for_an_optional_certificate_and_untyped_sans_match_both_types()
    {
        var result = Load(Downstream($$"""
            "common_tls_context": { {{FileCertificate}},
              "combined_validation_context": { "default_validation_context": {
                "trusted_ca": { "filename": "/certs/root.pem" }, "match_subject_alt_names": [ { "exact": "spiffe://td/ns/a/sa/b" } ] } } }
            """));

        var tls = LoadAssert.Succeeds(result).Listeners[0].Tls!;
        Assert.Equal(TlsClientCertificate.Optional, tls.ClientCertificate);
        Assert.Equal(
            [new SubjectAltNameMatch(SubjectAltNameType.Dns, false, "spiffe://td/ns/a/sa/b"), new SubjectAltNameMatch(SubjectAltNameType.Uri, false, "spiffe://td/ns/a/sa/b")],
            tls.MatchSubjectAltNames.ToArray());
    }

    [Fact]
    public void Disabling_stateless_session_resumption_turns_session_tickets_off()
    {
        var off = Load(Downstream($$"""
            "disable_stateless_session_resumption": true,
            "common_tls_context": { {{FileCertificate}} }
            """));
        var on = Load(Downstream($$"""
            "disable_stateless_session_resumption": false,
            "common_tls_context": { {{FileCertificate}} }
            """));

        Assert.Equal(0, LoadAssert.Succeeds(off).Listeners[0].Tls!.SessionTickets);
        Assert.Equal(TlsConfig.DefaultSessionTickets, LoadAssert.Succeeds(on).Listeners[0].Tls!.SessionTickets);
    }

    [Fact]
    public void Inline_pem_is_held_in_memory()
    {
        var inline = "\"" + Pem.Replace("\n", "\\n", StringComparison.Ordinal) + "\"";
        var bytes = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Pem.Replace("MIIB", "MIIC", StringComparison.Ordinal)));
        var result = Load(Downstream($$"""
            "common_tls_context": { "tls_certificates": [ { "certificate_chain": { "inline_string": {{inline}} }, "private_key": { "inline_bytes": "{{bytes}}" } } ] }
            """));

        var certificate = Assert.Single(LoadAssert.Succeeds(result).Listeners[0].Tls!.Certificates);
        Assert.Equal(PemSource.Inline(Pem), certificate.CertificateChain);
        Assert.Contains("MIIC", certificate.PrivateKey.Pem, StringComparison.Ordinal);
        Assert.Empty(result.Translation!.Unsupported);
    }

    [Fact]
    public void An_upstream_context_becomes_the_clusters_tls_table()
    {
        var result = Load("", Upstream($$"""
            , "sni": "backend.example.com",
            "common_tls_context": { {{FileCertificate}},
              "validation_context": { "trusted_ca": { "filename": "/certs/root.pem" },
                "match_typed_subject_alt_names": [ { "san_type": "URI", "matcher": { "exact": "spiffe://cluster.local/ns/default/sa/backend" } } ] },
              "alpn_protocols": ["istio-peer-exchange", "istio"] }
            """));

        var tls = LoadAssert.Succeeds(result).Clusters[0].Tls!;
        Assert.Equal(("backend.example.com", "/certs/root.pem", true), (tls.Sni, tls.Ca?.Path, tls.Verify));
        Assert.Equal(["spiffe://cluster.local/ns/default/sa/backend"], tls.SubjectAltNames.ToArray());
        Assert.Equal(("/certs/server.pem", "/certs/server.key"), (tls.CertificateChain?.Path, tls.PrivateKey?.Path));
        Assert.Equal(["istio-peer-exchange", "istio"], tls.Alpn.ToArray());
        Assert.Empty(result.Translation!.Unsupported);
    }

    [Fact]
    public void An_upstream_context_without_validation_does_not_verify_as_in_envoy_and_says_so()
    {
        var result = Load("", Upstream(""));

        Assert.False(LoadAssert.Succeeds(result).Clusters[0].Tls!.Verify);
        var report = Assert.Single(result.Translation!.Unsupported);
        Assert.Contains("the server is not verified (as in Envoy)", report.Reason, StringComparison.Ordinal);
    }

    private const string IstioMatches = """
        , "transport_socket_matches": [
          { "name": "tlsMode-istio", "match": { "tlsMode": "istio" }, "transport_socket": { "name": "envoy.transport_sockets.tls", "typed_config": {
              "@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext", "sni": "outbound_.8080_._.backend",
              "common_tls_context": { "validation_context": { "trusted_ca": { "filename": "/certs/root.pem" } } } } } },
          { "name": "tlsMode-disabled", "match": {}, "transport_socket": { "name": "envoy.transport_sockets.raw_buffer",
              "typed_config": { "@type": "type.googleapis.com/envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer" } } } ]
        """;

    [Fact]
    public void Istio_tls_mode_matches_take_tls_when_the_endpoints_are_not_known_and_report_the_plaintext_entry()
    {
        var cluster = """
            { "name": "backend", "type": "EDS", "eds_cluster_config": { "eds_config": { "ads": {} } }
            """ + IstioMatches + "}";

        var result = ConfigLoader.LoadJson(Bootstrap(Listener(HttpFilter(Route())), cluster), "envoy.json");

        Assert.Equal("outbound_.8080_._.backend", LoadAssert.Succeeds(result).Clusters[0].Tls!.Sni);
        Assert.Contains(result.Translation!.Unsupported, u => u.Path == "static_resources.clusters[0].transport_socket_matches[1]"
            && u.Reason.Contains("one transport socket per cluster is used: the TLS one", StringComparison.Ordinal));
    }

    [Fact]
    public void Istio_tls_mode_matches_follow_the_endpoints_metadata_when_they_agree()
    {
        var endpoint = """, "metadata": { "filter_metadata": { "envoy.transport_socket_match": { "tlsMode": "istio" } } }""";
        var tlsCluster = Cluster(extra: IstioMatches).Replace("} } } ] } ]", "} }" + endpoint + " } ] } ]", StringComparison.Ordinal);

        var withTls = LoadAssert.Succeeds(ConfigLoader.LoadJson(Bootstrap(Listener(HttpFilter(Route())), tlsCluster), "envoy.json"));
        var plain = LoadAssert.Succeeds(ConfigLoader.LoadJson(Bootstrap(Listener(HttpFilter(Route())), Cluster(extra: IstioMatches)), "envoy.json"));

        Assert.NotNull(withTls.Clusters[0].Tls);
        Assert.Null(plain.Clusters[0].Tls);
    }

    [Fact]
    public void What_tls_cannot_honour_refuses_the_config_by_key_path()
    {
        var sds = Downstream("""
            "common_tls_context": { "tls_certificate_sds_secret_configs": [ { "name": "default", "sds_config": { "ads": {} } } ],
              "validation_context": { "trusted_ca": { "filename": "/certs/root.pem" }, "match_typed_subject_alt_names": [ { "san_type": "URI", "matcher": { "safe_regex": { "regex": ".*" } } } ] } }
            """);
        var upstream = Upstream("""
            , "common_tls_context": { "tls_params": { "tls_maximum_protocol_version": "TLSv1_1" },
              "validation_context": { "trusted_ca": { "filename": "/certs/root.pem" }, "match_subject_alt_names": [ { "prefix": "spiffe://td/" } ], "verify_certificate_hash": ["aa"] } }
            """);

        var errors = LoadAssert.Fails(Load(sds, upstream));

        const string Listener = "static_resources.listeners[0].filter_chains[0].transport_socket.typed_config.common_tls_context";
        const string Cluster = "static_resources.clusters[0].transport_socket.typed_config.common_tls_context";
        Assert.Equal(
            [
                $"{Cluster}.validation_context.verify_certificate_hash: verify_certificate_hash is not checked; leaving it out would accept certificates it rejects, so the TLS context is refused",
                $"{Cluster}.validation_context.match_subject_alt_names[0].prefix: a cluster matches the server's SANs exactly; a prefix cannot be honoured, so the TLS context is refused",
                $"{Cluster}.tls_params.tls_maximum_protocol_version: TLSv1_1 is not a maximum MeshEdge can keep (TLSv1_2, TLSv1_3 or TLS_AUTO); the TLS context is refused",
                $"{Listener}.validation_context.match_typed_subject_alt_names[0].matcher: only exact and prefix SAN matchers are supported; the TLS context is refused",
                $"{Listener}.tls_certificate_sds_secret_configs[0].name: no secret named \"default\" in [[secrets]]",
            ],
            errors,
            StringComparer.Ordinal);
    }

    [Fact]
    public void Tls_on_a_tcp_proxy_chain_is_refused_rather_than_served_in_plaintext()
    {
        var result = ConfigLoader.LoadJson(Bootstrap(Listener(TcpFilter(), chainExtra: Downstream($$"""
            "common_tls_context": { {{FileCertificate}} }
            """)), Cluster()), "envoy.json");

        var error = Assert.Single(LoadAssert.Fails(result));
        Assert.Contains("TLS is terminated on \"http\" and \"bolt\" listeners only", error, StringComparison.Ordinal);
    }
}
