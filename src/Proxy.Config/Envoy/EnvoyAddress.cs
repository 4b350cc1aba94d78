using System.Net;
using MeshEdge.Config.Translation;
using MeshEdge.Config.Tree;

namespace MeshEdge.Config.Envoy;

/// <summary>
/// Envoy's <c>Address</c> message (<c>{ socket_address: { address, port_value } }</c>) as MeshEdge's
/// "ip:port" text ("[::1]:80" for IPv6; "name:port" where a DNS name is allowed).
/// </summary>
internal static class EnvoyAddress
{
    /// <summary>The address's text, or null when it is missing or of a kind MeshEdge cannot use (reported).</summary>
    public static ConfigScalar? Read(SourceTable? address, string what)
    {
        if (address is null)
        {
            return null;
        }

        address.Unsupported("pipe", $"Unix socket addresses are not supported; {what} is left out");
        address.Unsupported("envoy_internal_address", $"internal addresses are not supported; {what} is left out");
        var socket = address.Child("socket_address");
        address.Finish();
        if (socket is null)
        {
            return null;
        }

        var host = socket.String("address");
        var portNode = socket.Find("port_value");
        socket.Ignore("ipv4_compat");
        if (socket.String("protocol") is { } protocol && protocol != "TCP")
        {
            socket.Context.Unsupported(socket.PathOf("protocol"), socket.PositionOf("protocol"), $"only TCP is supported; {what} is left out");
            socket.Finish();
            return null;
        }

        socket.Unsupported("named_port", $"named ports are not supported; {what} is left out");
        socket.Unsupported("resolver_name", "custom resolvers are not supported; the system's is used");
        socket.Finish();
        if (host is null || portNode is not ConfigScalar port)
        {
            if (host is not null)
            {
                socket.Context.Refuse(socket.PathOf("port_value"), socket.Position, "missing required key");
            }

            return null;
        }

        var text = IPAddress.TryParse(host, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? $"[{host}]:{port.Text}"
            : $"{host}:{port.Text}";
        return new ConfigScalar(ScalarKind.String, text, port.Position.IsKnown ? port.Position : socket.Position);
    }
}
