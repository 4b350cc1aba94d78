using System.Text;
using MeshEdge.Config.Model;
using MeshEdge.Native.Tls.Interop;
using static MeshEdge.Native.Tls.Interop.SslClientConstants;

namespace MeshEdge.Native.Tls;

/// <summary>
/// One worker's view of one upstream host of a TLS cluster: the server name it sends, the names the
/// server's certificate must carry, and the session its next connection resumes (the latest one the
/// host gave this worker; sessions never cross workers, so no lock guards them).
/// </summary>
internal sealed unsafe class TlsClientTarget
{
    private readonly string[] _expectedNames;

    public TlsClientTarget(TlsClientContext context, TlsClientStats stats, string? serverName)
    {
        Context = context;
        Stats = stats;
        ServerName = serverName is null ? null : Encoding.ASCII.GetBytes(serverName + "\0");

        // What the certificate must name: the configured subject_alt_names, else the name we asked
        // for (as curl and browsers check it); with neither (an IP host), the verified chain alone.
        var configured = context.Config.SubjectAltNames;
        _expectedNames = !configured.IsEmpty ? [.. configured] : serverName is null ? [] : [serverName];
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
    public bool Accepts(nint certificate)
    {
        if (_expectedNames.Length == 0)
        {
            return true;
        }

        var names = LibCrypto.X509_get_ext_d2i(certificate, NID_subject_alt_name, null, null);
        if (names == 0)
        {
            return false;
        }

        try
        {
            var count = LibCrypto.OPENSSL_sk_num(names);
            for (var i = 0; i < count; i++)
            {
                int type;
                var value = LibCrypto.GENERAL_NAME_get0_value(LibCrypto.OPENSSL_sk_value(names, i), &type);
                if (type is not (GEN_DNS or GEN_URI) || value == 0)
                {
                    continue;
                }

                var text = new ReadOnlySpan<byte>(LibCrypto.ASN1_STRING_get0_data(value), LibCrypto.ASN1_STRING_length(value));
                foreach (var expected in _expectedNames)
                {
                    var isUri = UpstreamTlsConfig.IsUriName(expected);
                    if (type == GEN_URI ? isUri && Ascii.Equals(text, expected) : !isUri && DnsNameMatches(text, expected))
                    {
                        return true;
                    }
                }
            }

            return false;
        }
        finally
        {
            LibCrypto.GENERAL_NAMES_free(names);
        }
    }

    /// <summary>A certificate's DNS name against the expected one, without regard to case; "*.rest" covers exactly one label before "rest".</summary>
    internal static bool DnsNameMatches(ReadOnlySpan<byte> certificateName, string expected)
    {
        if (Ascii.EqualsIgnoreCase(certificateName, expected))
        {
            return true;
        }

        if (certificateName.Length < 3 || certificateName[0] != '*' || certificateName[1] != '.')
        {
            return false;
        }

        var dot = expected.IndexOf('.');
        return dot > 0 && Ascii.EqualsIgnoreCase(certificateName[1..], expected.AsSpan(dot));
    }
}
