namespace MeshEdge.Functional.Tests.Tls;

/// <summary>Certificates with chosen SANs (URI ones for SPIFFE ids) and key types (RSA as well as ECDSA).</summary>
internal sealed partial class TestCertificates
{
    /// <summary>
    /// A leaf named <paramref name="fileName"/> with subject <paramref name="subject"/> ("/CN=x/O=y") and
    /// <paramref name="sans"/> in openssl's syntax ("URI:spiffe://...", "DNS:..."); <paramref name="rsa"/>
    /// for RSA 2048 instead of ECDSA P-256.
    /// </summary>
    public async Task<(string Chain, string Key)> IssueWithAsync(string fileName, string subject, string[] sans, bool rsa = false)
    {
        var key = PathOf(fileName + ".key");
        var request = PathOf(fileName + ".csr");
        var chain = PathOf(fileName + ".pem");
        var extensions = _directory.Write(fileName + ".ext", "subjectAltName=" + string.Join(",", sans) + "\n");
        string[] keyType = rsa ? ["-newkey", "rsa:2048"] : ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"];
        await OpenSslAsync(["req", .. keyType, "-nodes", "-keyout", key, "-out", request, "-subj", subject]);
        await OpenSslAsync("x509", "-req", "-in", request, "-CA", CaPath, "-CAkey", PathOf("ca.key"), "-CAcreateserial",
            "-out", chain, "-days", "2", "-extfile", extensions);
        return (chain, key);
    }
}
