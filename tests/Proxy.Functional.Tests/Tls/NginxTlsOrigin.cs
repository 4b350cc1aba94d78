using System.Net;
using MeshEdge.Functional.Tests.Harness;

namespace MeshEdge.Functional.Tests.Tls;

/// <summary>
/// Debian's nginx as a mesh TLS origin: its certificate for <see cref="ServerName"/> with the SPIFFE
/// id <see cref="SpiffeId"/>, from a test CA whose client certificates it requires
/// (<c>ssl_verify_client on</c>), serving hello.txt (64 bytes). Its answers say what it saw: the
/// client's subject (x-ssl-client-subject), the SNI (x-ssl-server-name) and whether the session
/// was resumed (x-ssl-session-reused).
/// </summary>
internal sealed class NginxTlsOrigin : IAsyncDisposable
{
    public const string ServerName = "backend.test";
    public const string SpiffeId = "spiffe://cluster.local/ns/shop/sa/backend";

    private NginxTlsOrigin(TestCertificates certificates, NginxProcess nginx)
    {
        Certificates = certificates;
        Nginx = nginx;
    }

    /// <summary>The CA nginx trusts and its own certificate comes from: issue clients' certificates here.</summary>
    public TestCertificates Certificates { get; }

    public NginxProcess Nginx { get; }

    public IPEndPoint EndPoint => Nginx.EndPoint;

    public static async Task<NginxTlsOrigin> StartAsync()
    {
        var certificates = await TestCertificates.CreateAsync();
        try
        {
            var server = await certificates.IssueAsync(ServerName, SpiffeId);
            var nginx = await NginxProcess.StartAsync(tls: $"""
                ssl_certificate {server.Chain};
                ssl_certificate_key {server.Key};
                ssl_client_certificate {certificates.CaPath};
                ssl_verify_client on;
                add_header x-ssl-session-reused $ssl_session_reused always;
                add_header x-ssl-client-subject $ssl_client_s_dn always;
                add_header x-ssl-server-name $ssl_server_name always;
                """);
            nginx.WriteFile("hello.txt", 64, seed: 5);
            return new NginxTlsOrigin(certificates, nginx);
        }
        catch
        {
            certificates.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Nginx.DisposeAsync();
        Certificates.Dispose();
    }
}
