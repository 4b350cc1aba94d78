using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace MeshEdge.Functional.Tests.Tls;

/// <summary>
/// A keep-alive HTTPS connection from the test itself (SslStream), which can be held open across a
/// certificate reload and asked for the serial number of the certificate its handshake got.
/// </summary>
internal sealed class TlsClientConnection : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly SslStream _ssl;

    private TlsClientConnection(TcpClient tcp, SslStream ssl, string serial)
    {
        _tcp = tcp;
        _ssl = ssl;
        SerialNumber = serial;
    }

    /// <summary>The serial of the certificate the server sent, lower-case hex without leading zeros (as /certs shows it).</summary>
    public string SerialNumber { get; }

    public static async Task<TlsClientConnection> OpenAsync(IPEndPoint listener, string serverName)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(listener);
        var ssl = new SslStream(tcp.GetStream());
        X509Certificate? seen = null;
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = serverName,

            // A full handshake every time: a resumed session carries the certificate it was made with.
            AllowTlsResume = false,
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                seen = certificate;
                return true;
            },
        }).WaitAsync(TimeSpan.FromSeconds(20));
        var serial = Convert.ToHexStringLower(seen!.GetSerialNumber().Reverse().SkipWhile(b => b == 0).ToArray());
        return new TlsClientConnection(tcp, ssl, serial);
    }

    /// <summary>One keep-alive GET; the whole response (head and a body of Content-Length bytes) as text.</summary>
    public async Task<string> GetAsync(string path)
    {
        await _ssl.WriteAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: test\r\n\r\n"));
        var received = new List<byte>();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            var text = Encoding.ASCII.GetString(received.ToArray());
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0 && received.Count >= end + 4 + ContentLength(text[..end]))
            {
                return text;
            }

            var n = await _ssl.ReadAsync(buffer, timeout.Token);
            if (n == 0)
            {
                throw new IOException("the connection closed mid-response: " + text);
            }

            received.AddRange(buffer.AsSpan(0, n));
        }
    }

    private static int ContentLength(string head)
    {
        foreach (var line in head.Split("\r\n"))
        {
            if (line.StartsWith("content-length:", StringComparison.OrdinalIgnoreCase))
            {
                return int.Parse(line["content-length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        await _ssl.DisposeAsync();
        _tcp.Dispose();
    }
}
