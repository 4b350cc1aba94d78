using System.Collections.Immutable;
using MeshEdge.Config.Model;

namespace MeshEdge.Config.Binding;

/// <summary>Binds one route: its match, exactly one action, rewrites, header changes, timeout and retry policy.</summary>
internal static class RouteBinder
{
    public static RouteConfig Bind(TableReader reader)
    {
        var match = reader.OptionalTableReader("match") is { } matchReader
            ? RouteMatchBinder.Bind(matchReader)
            : MissingMatch(reader);
        var cluster = reader.Find("cluster") is not null ? reader.RequiredName("cluster") : null;
        var weighted = BindWeightedClusters(reader);
        var direct = reader.OptionalTableReader("direct_response") is { } d ? BindDirectResponse(d) : null;
        var redirect = reader.OptionalTableReader("redirect") is { } r ? BindRedirect(r) : null;
        var actions = (cluster is not null ? 1 : 0) + (weighted.IsEmpty ? 0 : 1) + (direct is not null ? 1 : 0) + (redirect is not null ? 1 : 0);
        if (actions != 1 && !reader.Errors.HasErrorsUnder(reader.Path))
        {
            reader.Errors.Add(reader.Path, reader.Table.Position,
                "a route needs exactly one of cluster, weighted_clusters, direct_response and redirect");
        }

        var route = new RouteConfig(match)
        {
            Cluster = cluster,
            WeightedClusters = weighted,
            DirectResponse = direct,
            Redirect = redirect,
            PrefixRewrite = reader.OptionalString("prefix_rewrite"),
            HostRewrite = reader.OptionalString("host_rewrite"),
            RequestHeaders = HeaderMutationBinder.Bind(reader, "request_headers_to_add", "request_headers_to_remove"),
            ResponseHeaders = HeaderMutationBinder.Bind(reader, "response_headers_to_add", "response_headers_to_remove"),
            Timeout = reader.Duration("timeout", ConfigDefaults.RouteTimeout, allowZero: true),
            Retry = reader.OptionalTableReader("retry_policy") is { } retry ? RetryPolicyBinder.Bind(retry) : RetryPolicyConfig.None,
            HashPolicy = reader.OptionalTableReader("hash_policy") is { } hash ? BindHashPolicy(hash) : null,
        };
        reader.ReportUnknownKeys();
        return route;
    }

    /// <summary><c>hash_policy = { header = "x-user" }</c>, <c>{ cookie = "session" }</c> or <c>{ source_ip = true }</c>.</summary>
    private static HashPolicyConfig? BindHashPolicy(TableReader reader)
    {
        var header = reader.OptionalString("header");
        var cookie = reader.OptionalString("cookie");
        var sourceIp = reader.Bool("source_ip", false);
        reader.ReportUnknownKeys();
        if ((header is not null ? 1 : 0) + (cookie is not null ? 1 : 0) + (sourceIp ? 1 : 0) != 1)
        {
            reader.Errors.Add(reader.Path, reader.Table.Position, "a hash policy needs exactly one of header, cookie and source_ip = true");
            return null;
        }

        if ((header ?? cookie) is { } name && (name.Length == 0 || name.AsSpan().ContainsAny(" \t\r\n;=:")))
        {
            var key = header is not null ? "header" : "cookie";
            reader.Errors.Add(reader.ChildPath(key), reader.Table.PositionOf(key), $"\"{name}\" is not a {key} name");
            return null;
        }

        return header is not null ? new HashPolicyConfig(HashPolicyKind.Header, header.ToLowerInvariant())
            : cookie is not null ? new HashPolicyConfig(HashPolicyKind.Cookie, cookie)
            : new HashPolicyConfig(HashPolicyKind.SourceIp, "");
    }

    private static RouteMatchConfig MissingMatch(TableReader reader)
    {
        reader.Errors.Add(reader.ChildPath("match"), reader.Table.Position, "missing required key (e.g. match = { prefix = \"/\" })");
        return new RouteMatchConfig(PathMatchKind.Prefix, "/");
    }

    private static ImmutableArray<WeightedClusterConfig> BindWeightedClusters(TableReader reader)
    {
        var builder = ImmutableArray.CreateBuilder<WeightedClusterConfig>();
        foreach (var item in reader.TableArray("weighted_clusters"))
        {
            var name = item.RequiredName("cluster");
            var weight = item.Int("weight", 1, 0, 10_000);
            item.ReportUnknownKeys();
            if (name is not null)
            {
                builder.Add(new WeightedClusterConfig(name, weight));
            }
        }

        if (builder.Count > 0 && builder.Sum(c => c.Weight) == 0)
        {
            reader.Errors.Add(reader.ChildPath("weighted_clusters"), reader.Table.PositionOf("weighted_clusters"), "the weights add up to zero");
        }

        return builder.ToImmutable();
    }

    private static DirectResponseConfig BindDirectResponse(TableReader reader)
    {
        var status = reader.Int("status", 200, 200, 599);
        var body = reader.OptionalString("body") ?? "";
        reader.ReportUnknownKeys();
        return new DirectResponseConfig(status, body);
    }

    private static RedirectConfig BindRedirect(TableReader reader)
    {
        var status = reader.Int("status", 301, 300, 399);
        var scheme = reader.OptionalString("scheme");
        var host = reader.OptionalString("host");
        var path = reader.OptionalString("path");
        if (path is not null && !path.StartsWith('/'))
        {
            reader.Errors.Add(reader.ChildPath("path"), reader.Table.PositionOf("path"), "a redirect path must start with \"/\"");
        }

        reader.ReportUnknownKeys();
        return new RedirectConfig(status, scheme, host, path);
    }
}
