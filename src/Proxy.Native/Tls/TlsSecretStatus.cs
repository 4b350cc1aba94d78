namespace MeshEdge.Native.Tls;

/// <summary>
/// What is known about a secret after its last load or reload attempt; replaced whole by the
/// watcher, read by the admin API.
/// </summary>
/// <param name="Certificate">The leaf in use (null if its PEM could not be read for display).</param>
/// <param name="LoadedAt">When the material in use was loaded.</param>
/// <param name="LastError">Why the last reload failed (the old material stays in use); null after a success.</param>
internal sealed record TlsSecretStatus(
    CertificateSummary? Certificate,
    DateTimeOffset LoadedAt,
    string? LastError,
    DateTimeOffset? LastErrorAt,
    long Reloads,
    long ReloadFailures);
