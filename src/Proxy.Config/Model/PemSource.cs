namespace MeshEdge.Config.Model;

/// <summary>
/// Where a certificate chain, private key or CA bundle comes from: a file (<see cref="Path"/>, read
/// when the TLS context is built and watched for changes) or the PEM text itself (<see cref="Pem"/>:
/// inline in the config, or a secret from the control plane), which is loaded from memory and never
/// written anywhere. Exactly one of the two is set; equal sources build equal contexts.
/// </summary>
public sealed record PemSource(string? Path, string? Pem)
{
    /// <summary>A placeholder for material not known yet (a certificate that names a secret, before the secret is resolved).</summary>
    public static readonly PemSource Unset = new("", null);

    public static PemSource File(string path) => new(path, null);

    public static PemSource Inline(string pem) => new(null, pem);

    /// <summary>Whether it is a file (watched and read from disk) rather than PEM held in memory.</summary>
    public bool IsFile => Path is not null;

    /// <summary>How messages and /certs name it: the file name, else <c>inline</c>.</summary>
    public string Describe => Path ?? "inline";

    /// <summary>The file name only (no PEM text: it may hold a private key).</summary>
    public override string ToString() => Describe;
}
