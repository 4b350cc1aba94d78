using System.Globalization;
using MeshEdge.Config.Translation;
using MeshEdge.Config.Tree;

namespace MeshEdge.Config.Envoy;

/// <summary>A cluster's health checking, circuit breakers and outlier detection (its TLS: <see cref="EnvoyTransportSocket"/>).</summary>
internal static class EnvoyClusterPolicies
{
    /// <summary>The first of <c>health_checks</c> (MeshEdge runs one per cluster): TCP or HTTP.</summary>
    public static void HealthChecks(SourceTable cluster, TargetTable target)
    {
        var index = 0;
        foreach (var check in cluster.Children("health_checks"))
        {
            if (index++ > 0)
            {
                check.Context.Unsupported(check.Path, check.Position, "one health check per cluster is supported; this one is left out");
                check.TakeAll();
                continue;
            }

            var table = target.Child("health_check", check.Path, check.Position);
            table.Copy("interval", check, "interval");
            table.Copy("timeout", check, "timeout");
            table.Copy("unhealthy_threshold", check, "unhealthy_threshold");
            table.Copy("healthy_threshold", check, "healthy_threshold");
            check.Ignore("event_log_path", "always_log_health_check_failures", "always_log_health_check_success");
            if (check.Child("tcp_health_check") is { } tcp)
            {
                table.Set("type", "tcp", tcp.Position, tcp.Path);
                tcp.Unsupported("send", "payload checks are not supported; the check is a TCP connect");
                tcp.Unsupported("receive", "payload checks are not supported; the check is a TCP connect");
                tcp.Finish();
            }
            else if (check.Child("http_health_check") is { } http)
            {
                table.Set("type", "http", http.Position, http.Path);
                table.Copy("path", http, "path");
                table.Copy("host", http, "host");
                ExpectedStatuses(http, table);
                http.Unsupported("codec_client_type", "checks speak HTTP/1.1");
                http.Finish();
            }
            else
            {
                check.Context.Unsupported(check.Path, check.Position, "only tcp_health_check and http_health_check are supported; the check is a TCP connect");
            }

            check.Finish();
        }
    }

    /// <summary>Envoy's [start, end) ranges become the list of statuses they cover.</summary>
    private static void ExpectedStatuses(SourceTable http, TargetTable check)
    {
        TargetArray? statuses = null;
        foreach (var range in http.Children("expected_statuses"))
        {
            if (Int(range.Find("start")) is { } start && Int(range.Find("end")) is { } end && start >= 100 && end <= 600 && start < end)
            {
                statuses ??= check.Array("expected_statuses", http.PathOf("expected_statuses"));
                for (var status = start; status < end; status++)
                {
                    statuses.Add(new ConfigScalar(ScalarKind.Integer, status.ToString(CultureInfo.InvariantCulture), range.Position), range.Path);
                }
            }
            else
            {
                range.Context.Refuse(range.Path, range.Position, "expected { start, end } with 100 <= start < end <= 600");
            }

            range.Finish();
        }
    }

    /// <summary>The DEFAULT priority's thresholds; other priorities are reported.</summary>
    public static void CircuitBreakers(SourceTable cluster, TargetTable target)
    {
        if (cluster.Child("circuit_breakers") is { } breakers)
        {
            Thresholds(breakers, target);
        }
    }

    /// <summary><c>{ thresholds: [...] }</c>, the same in Envoy and MOSN.</summary>
    public static void Thresholds(SourceTable breakers, TargetTable target)
    {
        foreach (var threshold in breakers.Children("thresholds"))
        {
            if ((threshold.String("priority") ?? "DEFAULT") != "DEFAULT")
            {
                threshold.Context.Unsupported(threshold.Path, threshold.Position, "only the DEFAULT priority's thresholds are supported; these are left out");
                threshold.TakeAll();
                continue;
            }

            var table = target.Child("circuit_breakers", threshold.Path, threshold.Position);
            foreach (var key in new[] { "max_connections", "max_pending_requests", "max_requests", "max_retries" })
            {
                table.Copy(key, threshold, key);
            }

            threshold.Finish();
        }

        breakers.Finish();
    }

    /// <summary>
    /// Envoy enforces consecutive 5xx and success-rate ejections fully by default and gateway-failure
    /// ejections not at all (<c>enforcing_consecutive_gateway_failure</c> defaults to 0); MeshEdge has
    /// no percentages, so 0 turns a detector off, 100 keeps it, anything between is reported.
    /// </summary>
    public static void OutlierDetection(SourceTable cluster, TargetTable target)
    {
        if (cluster.Child("outlier_detection") is not { } outliers)
        {
            return;
        }

        var table = target.Child("outlier_detection", outliers.Path, outliers.Position);
        foreach (var key in new[] { "interval", "base_ejection_time", "max_ejection_percent", "max_ejection_time", "success_rate_minimum_hosts", "success_rate_request_volume", "success_rate_stdev_factor" })
        {
            table.Copy(key, outliers, key);
        }

        if (Enforced(outliers, "enforcing_consecutive_5xx", 100))
        {
            table.Copy("consecutive_5xx", outliers, "consecutive_5xx");
        }
        else
        {
            outliers.Ignore("consecutive_5xx");
            table.Set("consecutive_5xx", Zero(outliers), outliers.PathOf("enforcing_consecutive_5xx"));
        }

        if (Enforced(outliers, "enforcing_consecutive_gateway_failure", 0))
        {
            table.Copy("consecutive_gateway_failure", outliers, "consecutive_gateway_failure");
        }
        else
        {
            outliers.Ignore("consecutive_gateway_failure");
            table.Set("consecutive_gateway_failure", Zero(outliers), outliers.PathOf("enforcing_consecutive_gateway_failure"));
        }

        if (!Enforced(outliers, "enforcing_success_rate", 100))
        {
            table.Set("success_rate_minimum_hosts", Zero(outliers), outliers.PathOf("enforcing_success_rate"));
        }

        outliers.Finish();
    }

    private static bool Enforced(SourceTable outliers, string key, int fallback)
    {
        var value = Int(outliers.Find(key)) ?? fallback;
        if (value is not (0 or 100))
        {
            outliers.Context.Unsupported(outliers.PathOf(key), outliers.PositionOf(key), $"{value}% enforcement is not supported; the detector is enforced fully");
        }

        return value != 0;
    }

    private static ConfigScalar Zero(SourceTable at) => new(ScalarKind.Integer, "0", at.Position);

    private static int? Int(ConfigNode? node) =>
        node is ConfigScalar scalar && int.TryParse(scalar.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : null;
}
