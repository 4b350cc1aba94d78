using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using MeshEdge.Config.Model;
using MeshEdge.Config.Translation;

namespace MeshEdge.Config;

/// <summary>Either a complete configuration or every error found in it, never a partial model.</summary>
public sealed class ConfigLoadResult
{
    private ConfigLoadResult(ProxyConfig? config, ImmutableArray<ConfigError> errors)
    {
        Config = config;
        Errors = errors;
    }

    /// <summary>The loaded configuration; null whenever <see cref="Errors"/> is not empty.</summary>
    public ProxyConfig? Config { get; }

    /// <summary>All problems found, in the order the loader met them.</summary>
    public ImmutableArray<ConfigError> Errors { get; }

    /// <summary>For a foreign config (Envoy, MOSN): what was translated and what was left out; null for MeshEdge's own.</summary>
    public TranslationReport? Translation { get; private init; }

    [MemberNotNullWhen(true, nameof(Config))]
    public bool Succeeded => Config is not null;

    internal static ConfigLoadResult Success(ProxyConfig config) => new(config, []);

    /// <summary>For a foreign config: its own key path for each MeshEdge one (null for MeshEdge's own files).</summary>
    private PathMap? SourcePaths { get; init; }

    /// <summary>
    /// <paramref name="error"/>, found after loading (a certificate file that does not load), with its
    /// key path in the words of the file the user wrote: an Envoy file's
    /// <c>static_resources.secrets[0].tls_certificate.certificate_chain.filename</c>, not <c>secrets[0].certificate_chain</c>.
    /// </summary>
    public ConfigError InSourcePaths(ConfigError error) => SourcePaths is { } paths ? error with { Path = paths.SourceOf(error.Path) } : error;

    internal ConfigLoadResult WithTranslation(TranslationReport report, PathMap paths) => new(Config, Errors) { Translation = report, SourcePaths = paths };

    internal static ConfigLoadResult Failure(ImmutableArray<ConfigError> errors) =>
        errors.IsDefaultOrEmpty
            ? throw new ArgumentException("A failed load needs at least one error.", nameof(errors))
            : new(null, errors);
}
