using System.Net;
using System.Net.Sockets;
using System.Text;
using MeshEdge.Config.Model;

namespace MeshEdge.Native.Hosting;

/// <summary>
/// <c>meshedge reload -c FILE</c>: asks the running process to reread its config through the admin
/// API's POST /reload. The admin API rather than the hot-upgrade socket: it answers in text with the
/// reason a config was refused (the same one /config_dump keeps), it is one code path with the
/// endpoint, and the upgrade socket serves one fd-passing session at a time, which a reload would
/// then queue behind.
/// </summary>
internal static class ReloadCommand
{
    private const int ExitApplied = 0;
    private const int ExitRefused = 1;
    private const int ExitNoAdmin = 2;
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    /// <param name="adminOverride">--admin: where the admin API listens, when the config cannot say (port 0).</param>
    public static int Run(ProxyConfig config, IPEndPoint? adminOverride)
    {
        if (adminOverride is null && config.Admin?.Address.Port == 0)
        {
            Console.Error.WriteLine($"meshedge: reload: the admin address in {config.Source} has port 0 (chosen at start); give the one the running process logged with --admin HOST:PORT");
            return ExitRefused;
        }

        if ((adminOverride is null ? config.Admin : new AdminConfig(adminOverride)) is not { } admin)
        {
            Console.Error.WriteLine($"meshedge: reload: {config.Source} has no [admin] table, so the running process has no admin API to ask; edit the file instead (it is watched) or add [admin]");
            return ExitNoAdmin;
        }

        var address = admin.Address.Address.Equals(IPAddress.Any) ? new IPEndPoint(IPAddress.Loopback, admin.Address.Port)
            : admin.Address.Address.Equals(IPAddress.IPv6Any) ? new IPEndPoint(IPAddress.IPv6Loopback, admin.Address.Port)
            : admin.Address;
        try
        {
            var (status, body) = Post(address);
            (status == 200 ? Console.Out : Console.Error).Write($"meshedge: reload: {body}");
            return status == 200 ? ExitApplied : ExitRefused;
        }
        catch (Exception ex) when (ex is SocketException or IOException or TimeoutException)
        {
            Console.Error.WriteLine($"meshedge: reload: cannot reach the admin API at {address}: {ex.Message}");
            return ExitRefused;
        }
    }

    private static (int Status, string Body) Post(IPEndPoint address)
    {
        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = (int)Limit.TotalMilliseconds, SendTimeout = (int)Limit.TotalMilliseconds };
        socket.Connect(address);
        socket.Send(Encoding.ASCII.GetBytes($"POST /reload HTTP/1.1\r\nhost: {address}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"));
        using var response = new MemoryStream();
        var buffer = new byte[4096];
        int read;
        while ((read = socket.Receive(buffer)) > 0)
        {
            response.Write(buffer, 0, read);
        }

        var text = Encoding.UTF8.GetString(response.ToArray());
        var headEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var statusLine = text.Split("\r\n", 2)[0].Split(' ');
        if (headEnd < 0 || statusLine.Length < 2 || !int.TryParse(statusLine[1], out var status))
        {
            throw new IOException("the admin API's answer is not HTTP");
        }

        return (status, text[(headEnd + 4)..]);
    }
}
