namespace MeshEdge.Config.Model;

/// <summary>
/// A named certificate and its key (a <c>[[secrets]]</c> entry, Envoy's static SDS secret): listeners'
/// certificates refer to it by name, so that the files can be reloaded in one place and, later, the
/// control plane can supply the same names. Files are watched and reloaded while running; inline PEM
/// (and a secret the control plane sent) is held in memory.
/// </summary>
/// <param name="KeyPath">Where it sits in the config (<c>secrets[0]</c>), for errors about its files.</param>
public sealed record SecretConfig(string Name, PemSource CertificateChain, PemSource PrivateKey, string KeyPath)
{
    /// <summary>A validation secret (Istio's <c>ROOTCA</c>): the CA bundle peers are verified against; it then has no certificate.</summary>
    public PemSource? TrustedCa { get; init; }

    /// <summary>Sent by the control plane (SDS), not written in the config: /certs names its source <c>sds:NAME</c>.</summary>
    public bool FromControlPlane { get; init; }
}
