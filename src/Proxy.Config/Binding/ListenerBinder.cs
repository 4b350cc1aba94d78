using System.Net;
using MeshEdge.Config.Model;
using MeshEdge.Config.Tree;

namespace MeshEdge.Config.Binding;

/// <summary>Binds one <c>[[listeners]]</c> entry and its session table.</summary>
internal static class ListenerBinder
{
    private static readonly (string Name, ListenerProtocol Value)[] Protocols =
        [("tcp", ListenerProtocol.Tcp), ("http", ListenerProtocol.Http), ("bolt", ListenerProtocol.Bolt), ("auto", ListenerProtocol.Auto)];

    // Port 0 never conflicts with another listener, so an invalid address cannot cause follow-on errors.
    private static readonly IPEndPoint PlaceholderAddress = new(IPAddress.Any, 0);

    /// <summary>Binds the table; invalid parts are recorded in <paramref name="errors"/> and replaced by
    /// inert placeholders (empty name, port 0, empty cluster) so cross-checks stay quiet about them.</summary>
    public static ListenerConfig Bind(ConfigTable table, string path, ConfigErrorList errors)
    {
        var reader = new TableReader(table, path, errors);
        var name = reader.RequiredName("name") ?? "";
        var address = reader.RequiredEndpoint("address", minPort: 0) ?? PlaceholderAddress;
        var protocolNode = reader.Find("protocol");
        var protocol = ListenerProtocol.Tcp;
        var protocolValid = protocolNode is null
            || NodeConverter.TryChoice(protocolNode, reader.ChildPath("protocol"), errors, "protocol", Protocols, out protocol);
        var maxConnections = reader.Int("max_connections", ConfigDefaults.ListenerMaxConnections, 1, int.MaxValue);
        var bufferLimit = reader.ByteSize("buffer_limit", ConfigDefaults.BufferLimitBytes,
            ConfigDefaults.MinBufferLimitBytes, ConfigDefaults.MaxBufferLimitBytes);
        var tcpProxy = BindTcpProxy(reader, required: protocolValid && protocol == ListenerProtocol.Tcp);
        var http = BindHttp(reader, required: protocolValid && protocol == ListenerProtocol.Http);
        var rpcProxy = RpcProxyBinder.Bind(reader, required: protocolValid && protocol == ListenerProtocol.Bolt);
        var detectionTimeout = BindDetection(reader, protocol, http, rpcProxy, tcpProxy);
        var tls = TlsBinder.BindOptional(reader, protocol);
        reader.ReportUnknownKeys();
        return new ListenerConfig(name, address, protocol, maxConnections, bufferLimit, tcpProxy)
        {
            Http = http,
            RpcProxy = rpcProxy,
            DetectionTimeout = detectionTimeout,
            Tls = tls,
        };
    }

    /// <summary>
    /// protocol = "auto": the sessions it may hand a connection to are the tables present (http,
    /// rpc_proxy, tcp_proxy; tcp_proxy also takes what is not recognised), so at least one is needed.
    /// </summary>
    private static TimeSpan BindDetection(TableReader listener, ListenerProtocol protocol, HttpConfig? http, RpcProxyConfig? rpc, TcpProxyConfig tcp)
    {
        var node = listener.Find("detection_timeout");
        if (protocol != ListenerProtocol.Auto)
        {
            if (node is not null)
            {
                listener.Errors.Add(listener.ChildPath("detection_timeout"), listener.Table.PositionOf("detection_timeout"), "only a protocol = \"auto\" listener detects protocols");
            }

            return ConfigDefaults.DetectionTimeout;
        }

        if (http is null && rpc is null && !tcp.IsConfigured && !listener.Errors.HasErrorsUnder(listener.Path))
        {
            listener.Errors.Add(listener.ChildPath("protocol"), listener.Table.PositionOf("protocol"),
                "an \"auto\" listener needs at least one of the http, rpc_proxy and tcp_proxy tables");
        }

        return node is not null && NodeConverter.TryDuration(node, listener.ChildPath("detection_timeout"), listener.Errors, allowZero: false, out var timeout)
            ? timeout
            : ConfigDefaults.DetectionTimeout;
    }

    private static HttpConfig? BindHttp(TableReader listener, bool required)
    {
        const string Key = "http";
        if (listener.OptionalTableReader(Key) is { } reader)
        {
            return HttpBinder.Bind(reader);
        }

        if (required && !listener.Errors.HasErrorsUnder(listener.ChildPath(Key)))
        {
            listener.Errors.Add(listener.ChildPath(Key), listener.Table.Position, "missing required table (an \"http\" listener needs one)");
        }

        return null;
    }

    private static TcpProxyConfig BindTcpProxy(TableReader listener, bool required)
    {
        const string Key = "tcp_proxy";
        var node = listener.Find(Key);
        var placeholder = new TcpProxyConfig("", ConfigDefaults.TcpIdleTimeout, ConfigDefaults.MaxConnectAttempts);
        if (node is null)
        {
            if (required)
            {
                listener.Errors.Add(listener.ChildPath(Key), listener.Table.Position,
                    "missing required table (a \"tcp\" listener needs one)");
            }

            return placeholder;
        }

        if (!NodeConverter.TryTable(node, listener.ChildPath(Key), listener.Errors, out var table))
        {
            return placeholder;
        }

        var reader = new TableReader(table, listener.ChildPath(Key), listener.Errors);
        var sniRoutes = SniRouteBinder.BindRoutes(reader);

        // With SNI routes the cluster is the default for the rest; without one, the rest is closed.
        var cluster = sniRoutes.IsEmpty || reader.Find("cluster") is not null ? reader.RequiredName("cluster") ?? "" : "";
        var idleTimeout = reader.Duration("idle_timeout", ConfigDefaults.TcpIdleTimeout, allowZero: true);
        var attempts = reader.Int("max_connect_attempts", ConfigDefaults.MaxConnectAttempts, 1, ConfigDefaults.MaxConnectAttemptsLimit);
        var config = SniRouteBinder.BindInspection(reader, new TcpProxyConfig(cluster, idleTimeout, attempts) { SniRoutes = sniRoutes });
        reader.ReportUnknownKeys();
        return config;
    }
}
