using MeshEdge.Config.Translation;

namespace MeshEdge.Config.Envoy;

/// <summary>
/// What a cluster's upstream connections speak: <c>http2_protocol_options</c> on the cluster (the
/// v3 field Envoy still reads) or in <c>typed_extension_protocol_options</c>'s HttpProtocolOptions
/// under <c>explicit_http_config</c>, into <c>protocol = "h2"</c> and the <c>http2</c> table, and
/// <c>common_http_protocol_options</c>' idle timeout and request limit into <c>connection_pool</c>.
/// </summary>
internal static class EnvoyClusterProtocol
{
    private const string HttpProtocolOptions = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";

    public static void Translate(SourceTable cluster, TargetTable target)
    {
        if (cluster.Child("http2_protocol_options") is { } legacy)
        {
            Http2(legacy, target);
        }

        if (cluster.Child("common_http_protocol_options") is { } common)
        {
            Common(common, target);
        }

        cluster.Ignore("http_protocol_options");
        if (cluster.Child("typed_extension_protocol_options") is not { } typed)
        {
            return;
        }

        if (typed.Child(HttpProtocolOptions) is { } options)
        {
            options.Ignore("@type");
            if (options.Child("explicit_http_config") is { } explicitConfig)
            {
                if (explicitConfig.Child("http2_protocol_options") is { } http2)
                {
                    Http2(http2, target);
                }

                explicitConfig.Ignore("http_protocol_options");
                explicitConfig.Finish();
            }

            options.Unsupported("auto_config", "choosing the protocol by ALPN per connection is not supported; set protocol = \"h2\" or leave HTTP/1.1");
            options.Unsupported("use_downstream_protocol_config", "following the downstream's protocol is not supported; the cluster speaks HTTP/1.1 unless it names HTTP/2");
            if (options.Child("common_http_protocol_options") is { } common2)
            {
                Common(common2, target);
            }

            options.Ignore("upstream_http_protocol_options");
            options.Finish();
        }

        typed.Finish();
    }

    private static void Http2(SourceTable http2, TargetTable target)
    {
        target.Set("protocol", "h2", http2.Position, http2.Path);
        var table = target.Child("http2", http2.Path, http2.Position);
        table.Copy("max_concurrent_streams", http2, "max_concurrent_streams");
        table.Copy("initial_stream_window_size", http2, "initial_stream_window_size");
        table.Copy("initial_connection_window_size", http2, "initial_connection_window_size");
        if (http2.Child("connection_keepalive") is { } keepalive)
        {
            table.Copy("keepalive_interval", keepalive, "interval");
            table.Copy("keepalive_timeout", keepalive, "timeout");
            keepalive.Unsupported("interval_jitter", "the keepalive interval has no jitter");
            keepalive.Unsupported("connection_idle_interval", "PINGs go out every interval, idle or not");
            keepalive.Finish();
        }

        // The defences and limits Envoy tunes here have MeshEdge's own defaults (docs/ARCHITECTURE.md).
        http2.Ignore("hpack_table_size", "allow_connect", "allow_metadata", "max_outbound_frames", "max_outbound_control_frames",
            "max_consecutive_inbound_frames_with_empty_payload", "max_inbound_priority_frames_per_stream",
            "max_inbound_window_update_frames_per_data_frame_sent", "stream_error_on_invalid_http_messaging",
            "override_stream_error_on_invalid_http_message", "custom_settings_parameters", "use_oghttp2_codec");
        http2.Finish();
    }

    private static void Common(SourceTable common, TargetTable target)
    {
        var pool = target.Child("connection_pool", common.Path, common.Position);
        pool.Copy("idle_timeout", common, "idle_timeout");
        pool.Copy("max_requests_per_connection", common, "max_requests_per_connection");
        common.Unsupported("max_connection_duration", "connections are not aged out; idle_timeout and max_requests_per_connection retire them");
        common.Unsupported("max_stream_duration", "use the route's timeout");
        common.Ignore("headers_with_underscores_action", "max_headers_count", "max_response_headers_kb");
        common.Finish();
    }
}
