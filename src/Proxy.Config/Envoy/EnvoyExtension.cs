using MeshEdge.Config.Translation;

namespace MeshEdge.Config.Envoy;

/// <summary>
/// Names an extension (a filter, a transport socket, an access logger) of an Envoy config. Envoy
/// picks the extension by its <c>typed_config</c>'s <c>@type</c> (the name is only a label), so
/// that is what is checked; a config without <c>typed_config</c> falls back on the well-known name.
/// </summary>
internal static class EnvoyExtension
{
    public const string TypePrefix = "type.googleapis.com/";

    /// <summary>The proto type a type URL names: what follows its last '/' (the whole text when it has none).</summary>
    public static string TypeName(string typeUrl) => typeUrl[(typeUrl.LastIndexOf('/') + 1)..];

    public const string HttpConnectionManager = "envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager";
    public const string TcpProxy = "envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy";
    public const string Router = "envoy.extensions.filters.http.router.v3.Router";
    public const string RawBuffer = "envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer";
    public const string FileAccessLog = "envoy.extensions.access_loggers.file.v3.FileAccessLog";
    public const string StdoutAccessLog = "envoy.extensions.access_loggers.stream.v3.StdoutAccessLog";
    public const string StderrAccessLog = "envoy.extensions.access_loggers.stream.v3.StderrAccessLog";

    private static readonly (string Name, string Type)[] WellKnownNames =
    [
        ("envoy.filters.network.http_connection_manager", HttpConnectionManager),
        ("envoy.http_connection_manager", HttpConnectionManager),
        ("envoy.filters.network.tcp_proxy", TcpProxy),
        ("envoy.tcp_proxy", TcpProxy),
        ("envoy.filters.http.router", Router),
        ("envoy.router", Router),
        ("envoy.transport_sockets.raw_buffer", RawBuffer),
        ("raw_buffer", RawBuffer),
        ("envoy.access_loggers.file", FileAccessLog),
        ("envoy.access_loggers.stdout", StdoutAccessLog),
        ("envoy.access_loggers.stderr", StderrAccessLog),
    ];

    // Parts of a type or filter name that mean the extension enforces security: authentication,
    // authorization, TLS. Left out, traffic it should stop would pass, so these refuse the config.
    private static readonly string[] SecurityMarkers =
        [".rbac.", ".ext_authz.", ".jwt_authn.", ".oauth2.", ".basic_auth.", ".api_key_auth.", ".client_ssl_auth.", ".tls.", "authn"];

    /// <summary>
    /// The proto type of an extension entry (<c>{ name, typed_config: { "@type": ... } }</c>) without
    /// its URL prefix; empty when neither the type nor the name is known. A typed_config whose
    /// <c>@type</c> is not a type URL is refused.
    /// </summary>
    public static string TypeOf(SourceTable entry, out SourceTable? typedConfig)
    {
        var name = entry.String("name") ?? "";
        typedConfig = entry.Child("typed_config");
        if (typedConfig is null)
        {
            entry.Unsupported("config", "untyped filter config (Envoy v2) is not supported; use typed_config");
            foreach (var (known, knownType) in WellKnownNames)
            {
                if (known == name)
                {
                    return knownType;
                }
            }

            return "";
        }

        var typeUrl = typedConfig.String("@type");
        if (typeUrl is null)
        {
            entry.Context.Refuse(typedConfig.PathOf("@type"), typedConfig.Position, "missing required key (the extension's type URL)");
            return "";
        }

        var slash = typeUrl.LastIndexOf('/');
        var type = slash >= 0 ? typeUrl[(slash + 1)..] : typeUrl;
        if (type is "udpa.type.v1.TypedStruct" or "xds.type.v3.TypedStruct")
        {
            // A wrapper (Istio's Wasm filters): the real type is inside.
            var inner = typedConfig.String("type_url") ?? "";
            type = TypeName(inner);
            typedConfig.TakeAll();
        }
        else if (slash < 0)
        {
            entry.Context.Refuse(typedConfig.PathOf("@type"), typedConfig.PositionOf("@type"),
                $"\"{typeUrl}\" is not a type URL (expected \"{TypePrefix}<proto type>\")");
        }

        if (type.Contains(".v2.", StringComparison.Ordinal) || type.Contains(".v2alpha.", StringComparison.Ordinal))
        {
            entry.Context.Refuse(typedConfig.PathOf("@type"), typedConfig.PositionOf("@type"),
                $"\"{type}\" is Envoy's v2 API, which Envoy itself no longer reads; use the v3 type");
        }

        return type;
    }

    /// <summary>A resource from a config dump names its own type (<c>"@type"</c>); it must be the one expected here.</summary>
    public static void CheckResourceType(SourceTable resource, string expected)
    {
        if (resource.String("@type") is { } typeUrl && typeUrl != TypePrefix + expected)
        {
            resource.Context.Refuse(resource.PathOf("@type"), resource.PositionOf("@type"), $"expected \"{TypePrefix}{expected}\", got \"{typeUrl}\"");
        }
    }

    /// <summary>Whether an extension enforces security (authn/authz/TLS), by its type or name.</summary>
    public static bool IsSecurity(string type, string name)
    {
        foreach (var marker in SecurityMarkers)
        {
            if (type.Contains(marker, StringComparison.Ordinal) || ("." + name + ".").Contains(marker, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
