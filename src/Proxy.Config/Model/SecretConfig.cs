namespace MeshEdge.Config.Model;

/// <summary>
/// A named certificate and its key (a <c>[[secrets]]</c> entry, Envoy's static SDS secret): listeners'
/// certificates refer to it by name, so that the files can be reloaded in one place and, later, the
/// control plane can supply the same names. The files are watched and reloaded while running.
/// </summary>
/// <param name="KeyPath">Where it sits in the config (<c>secrets[0]</c>), for errors about its files.</param>
public sealed record SecretConfig(string Name, string CertificateChain, string PrivateKey, string KeyPath);
