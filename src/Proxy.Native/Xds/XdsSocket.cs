using System.Net;
using System.Net.Sockets;

namespace MeshEdge.Native.Xds;

/// <summary>The xDS client's connection to its control plane: TCP (an IP, or a name resolved once per connect) or a Unix socket (istio-agent's XDS socket).</summary>
internal static class XdsSocket
{
    /// <summary>A connected blocking socket; a timeout is a <see cref="SocketException"/> (TimedOut), the client's stop an <see cref="OperationCanceledException"/>.</summary>
    public static Socket Connect(XdsEndpoint endpoint, TimeSpan timeout, CancellationToken cancel)
    {
        EndPoint target;
        Socket socket;
        if (endpoint.UnixSocket is { } path)
        {
            target = new UnixDomainSocketEndPoint(path);
            socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        }
        else
        {
            var address = IPAddress.TryParse(endpoint.Host, out var parsed) ? parsed : Dns.GetHostAddresses(endpoint.Host!)[0];
            target = new IPEndPoint(address, endpoint.Port);
            socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        limit.CancelAfter(timeout);
        try
        {
            socket.ConnectAsync(target, limit.Token).AsTask().GetAwaiter().GetResult();
            return socket;
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            socket.Dispose();
            throw new SocketException((int)SocketError.TimedOut);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
