using System.Collections.Immutable;
using MeshEdge.Config.Model;
using MeshEdge.Config.Values;

namespace MeshEdge.Config.Binding;

/// <summary>Binds <c>[listeners.http]</c>: request limits and timeouts, forwarding headers, access log, virtual hosts.</summary>
internal static class HttpBinder
{
    public static HttpConfig Bind(TableReader reader)
    {
        var idle = reader.Duration("idle_timeout", ConfigDefaults.HttpIdleTimeout, allowZero: true);
        var headersTimeout = reader.Duration("request_headers_timeout", ConfigDefaults.HttpRequestHeadersTimeout, allowZero: true);
        var maxHeaders = reader.ByteSize("max_request_headers_size", ConfigDefaults.HttpMaxRequestHeadersBytes, 1024, 1024 * 1024);
        var maxBody = reader.ByteSize("max_request_body_size", 0, 0, int.MaxValue);
        var forwarded = reader.Bool("add_forwarded_headers", true);
        var requestId = reader.Bool("generate_request_id", true);
        var http2SettingsTimeout = reader.Duration("http2_settings_timeout", ConfigDefaults.Http2SettingsTimeout, allowZero: true);
        var accessLog = AccessLogBinder.BindOptional(reader, AccessLog.AccessLogDialect.Http);
        var forwardClientCert = ClientCertDetailsBinder.BindMode(reader);
        var clientCertDetails = ClientCertDetailsBinder.BindDetails(reader);
        var hosts = ImmutableArray.CreateBuilder<VirtualHostConfig>();
        foreach (var host in reader.TableArray("virtual_hosts"))
        {
            hosts.Add(BindVirtualHost(host));
        }

        if (hosts.Count == 0)
        {
            reader.Errors.Add(reader.ChildPath("virtual_hosts"), reader.Table.Position, "at least one virtual host is required");
        }

        reader.ReportUnknownKeys();
        return new HttpConfig(hosts.ToImmutable(), idle, headersTimeout, maxHeaders, maxBody)
        {
            AddForwardedHeaders = forwarded,
            GenerateRequestId = requestId,
            Http2SettingsTimeout = http2SettingsTimeout,
            AccessLog = accessLog,
            ForwardClientCertDetails = forwardClientCert,
            SetCurrentClientCertDetails = clientCertDetails,
        };
    }

    private static VirtualHostConfig BindVirtualHost(TableReader reader)
    {
        var name = reader.RequiredName("name") ?? "";
        var domains = reader.StringArray("domains") ?? ["*"];
        for (var i = 0; i < domains.Count; i++)
        {
            if (!IsValidDomainPattern(domains[i]))
            {
                reader.Errors.Add(KeyPath.Index(reader.ChildPath("domains"), i), reader.Table.PositionOf("domains"),
                    $"{Tree.ConfigScalar.Quote(domains[i])} is not a domain pattern (a host name, \"*.suffix\", \"prefix.*\" or \"*\")");
            }
        }

        var routes = ImmutableArray.CreateBuilder<RouteConfig>();
        foreach (var route in reader.TableArray("routes"))
        {
            routes.Add(RouteBinder.Bind(route));
        }

        if (routes.Count == 0)
        {
            reader.Errors.Add(reader.ChildPath("routes"), reader.Table.Position, "at least one route is required");
        }

        reader.ReportUnknownKeys();
        return new VirtualHostConfig(name, [.. domains.Select(d => d.ToLowerInvariant())], routes.ToImmutable());
    }

    private static bool IsValidDomainPattern(string domain)
    {
        if (domain == "*")
        {
            return true;
        }

        var core = domain.StartsWith("*.", StringComparison.Ordinal) ? domain[2..]
            : domain.EndsWith(".*", StringComparison.Ordinal) ? domain[..^2]
            : domain;
        return core.Length > 0 && !core.AsSpan().ContainsAny(" \t/\\@?#*");
    }
}
