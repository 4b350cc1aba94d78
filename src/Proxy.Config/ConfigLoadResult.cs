using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using MeshEdge.Config.Model;

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

    [MemberNotNullWhen(true, nameof(Config))]
    public bool Succeeded => Config is not null;

    internal static ConfigLoadResult Success(ProxyConfig config) => new(config, []);

    internal static ConfigLoadResult Failure(ImmutableArray<ConfigError> errors) =>
        errors.IsDefaultOrEmpty
            ? throw new ArgumentException("A failed load needs at least one error.", nameof(errors))
            : new(null, errors);
}
