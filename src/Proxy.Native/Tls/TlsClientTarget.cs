using System.Text;
using MeshEdge.Config.Model;
using MeshEdge.Native.Tls.Interop;

namespace MeshEdge.Native.Tls;

/// <summary>
/// One worker's view of one upstream host of a TLS cluster: the server name it sends, the names the
/// server's certificate must carry, and the session its next connection resumes (the latest one the
/// host gave this worker; sessions never cross workers, so no lock guards them).
/// </summary>
internal sealed unsafe class TlsClientTarget
{
    private readonly SubjectAltNameMatcher[] _expectedNames;

    public TlsClientTarget(TlsClientContext context, TlsClientStats stats, string? serverName)
    {
        Context = context;
        Stats = stats;
        ServerName = serverName is null ? null : Encoding.ASCII.GetBytes(serverName + "\0");

        // What the certificate must name: the configured subject_alt_names, else the name we asked
        // for (as curl and browsers check it); with neither (an IP host), the verified chain alone.
        var configured = context.Config.SubjectAltNames;
        string[] names = !configured.IsEmpty ? [.. configured] : serverName is null ? [] : [serverName];
        _expectedNames = [.. names.Select(SubjectAltNameMatcher.ForServerName)];
    }

    public TlsClientContext Context { get; }

    public TlsClientStats Stats { get; }

    /// <summary>The SNI, NUL-terminated; null to send none.</summary>
    public byte[]? ServerName { get; }

    /// <summary>The SSL_SESSION the next connection offers to resume (a reference we own), or 0.</summary>
    public nint Session { get; private set; }

    /// <summary>Takes over <paramref name="session"/> (a reference libssl handed us) in place of the one held.</summary>
    public void KeepSession(nint session)
    {
        ForgetSession();
        Session = session;
    }

    public void ForgetSession()
    {
        if (Session != 0)
        {
            LibSslClient.SSL_SESSION_free(Session);
            Session = 0;
        }
    }

    /// <summary>Whether the leaf certificate names one of the expected names: DNS names (its "*." wildcards cover one label) or URIs, exactly.</summary>
    public bool Accepts(nint certificate) => _expectedNames.Length == 0 || CertificateReader.AnySanMatches(certificate, _expectedNames);
}
