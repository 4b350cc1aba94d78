using MeshEdge.Config.Binding;
using MeshEdge.Config.Tree;

namespace MeshEdge.Config.Translation;

/// <summary>
/// What one translation of a foreign config (an Envoy bootstrap, a MOSN config) collects on the way:
/// errors (what cannot be honoured safely: the config is refused), the keys that are not supported
/// (reported and left out), the resources met and the map from the MeshEdge paths written to the
/// source paths they came from, so that the binder's errors name the file's own keys.
/// </summary>
internal sealed class TranslationContext(ConfigErrorList errors, string format)
{
    private readonly List<ConfigError> _unsupported = [];
    private readonly List<(string Type, string Path, bool Skipped)> _resources = [];

    public ConfigErrorList Errors { get; } = errors;

    public string Format { get; } = format;

    public PathMap Paths { get; } = new();

    /// <summary>Left out with a warning: the rest of the config runs without it.</summary>
    public void Unsupported(string path, SourcePosition at, string reason) =>
        _unsupported.Add(new ConfigError(Errors.Source, path, reason) { Line = at.Line, Column = at.Column });

    /// <summary>Cannot be honoured and must not be dropped (it carries security): the config is refused.</summary>
    public void Refuse(string path, SourcePosition at, string reason) => Errors.Add(path, at, reason);

    /// <summary>Counts a resource (listener, cluster, route...) for the support report.</summary>
    public void Resource(string type, string path, bool skipped = false) => _resources.Add((type, path, skipped));

    public TranslationReport ToReport(IReadOnlyList<ConfigError> errors) =>
        TranslationReport.Build(Format, _resources, _unsupported, errors);
}
