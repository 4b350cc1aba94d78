using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MeshEdge.Codecs.Bolt;
using MeshEdge.Codecs.Rpc;
using MeshEdge.Config.Model;
using MeshEdge.Native.Tls;

namespace MeshEdge.Native.Upstream;

/// <summary>
/// One health-check probe of one host, bounded by the check's timeout: a TCP connect; an HTTP/1.1
/// GET whose status must be expected; or a Bolt heartbeat that must come back as a successful
/// heartbeat response. Off the data path (the checker's task), so async sockets are fine. A TLS
/// cluster's probes run the TLS handshake first, with the cluster's own client context: a host
/// whose certificate does not verify fails its checks.
/// </summary>
internal static class HealthProbe
{
    public static async Task<bool> RunAsync(HealthCheckConfig config, UpstreamHost target, TlsClientContext? tls, CancellationToken stopping)
    {
        var host = target.Address;
        using var socket = new Socket(host.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(config.Timeout);
        try
        {
            await socket.ConnectAsync(host, timeout.Token);
            await using Stream stream = tls is null
                ? new NetworkStream(socket, ownsSocket: false)
                : await TlsProbeStream.HandshakeAsync(socket, tls.ProbeTarget(target), timeout.Token);
            return config.Type switch
            {
                HealthCheckType.Http => await HttpAsync(config, stream, host, timeout.Token),
                HealthCheckType.Bolt => await BoltHeartbeatAsync(stream, timeout.Token),
                _ => true,
            };
        }
        catch (IOException)
        {
            return false;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>GET the configured path on the connected socket and check the status line.</summary>
    private static async Task<bool> HttpAsync(HealthCheckConfig config, Stream socket, IPEndPoint host, CancellationToken timeout)
    {
        var request = $"GET {config.Path} HTTP/1.1\r\nhost: {config.Host ?? host.ToString()}\r\nuser-agent: meshedge-health-check\r\nconnection: close\r\n\r\n";
        await socket.WriteAsync(Encoding.ASCII.GetBytes(request), timeout);
        var buffer = new byte[1024];
        var received = 0;
        while (received < buffer.Length)
        {
            var n = await socket.ReadAsync(buffer.AsMemory(received), timeout);
            if (n == 0)
            {
                break;
            }

            received += n;
            if (buffer.AsSpan(0, received).IndexOf("\r\n"u8) >= 0)
            {
                break;
            }
        }

        // "HTTP/1.1 200 OK": the three digits after the first space.
        var line = buffer.AsSpan(0, received);
        var space = line.IndexOf((byte)' ');
        if (!line.StartsWith("HTTP/1."u8) || space < 0 || line.Length < space + 4
            || !int.TryParse(Encoding.ASCII.GetString(line.Slice(space + 1, 3)), out var status))
        {
            return false;
        }

        return config.ExpectedStatuses.IsEmpty ? status is >= 200 and < 300 : config.ExpectedStatuses.Contains(status);
    }

    /// <summary>A Bolt v1 heartbeat (as SOFA clients send it); the answer must be its successful ack.</summary>
    private static async Task<bool> BoltHeartbeatAsync(Stream socket, CancellationToken timeout)
    {
        const ulong ProbeId = 1;
        var codec = new BoltCodec();
        var request = new ArrayBufferWriter<byte>(64);
        codec.WriteHeartbeatRequest(ProbeId, request);
        await socket.WriteAsync(request.WrittenMemory, timeout);
        var buffer = new byte[4096];
        var received = 0;
        while (received < buffer.Length)
        {
            var n = await socket.ReadAsync(buffer.AsMemory(received), timeout);
            if (n == 0)
            {
                return false;
            }

            received += n;
            var result = codec.ReadFrame(new ReadOnlySequence<byte>(buffer, 0, received), out var frame);
            if (result.Status == RpcReadStatus.Malformed)
            {
                return false;
            }

            if (result.Status == RpcReadStatus.Complete)
            {
                return frame.Kind == RpcFrameKind.HeartbeatResponse && frame.RequestId == ProbeId && codec.IsSuccess(frame);
            }
        }

        return false;
    }
}
