using System.Collections.Immutable;
using MeshEdge.Config.Tree;

namespace MeshEdge.Config.Binding;

/// <summary>Collects errors for one source so that loading reports every mistake, not just the first.</summary>
internal sealed class ConfigErrorList(string source)
{
    private readonly List<ConfigError> _errors = [];

    public string Source { get; } = source;

    public int Count => _errors.Count;

    public void Add(string path, SourcePosition at, string reason) =>
        _errors.Add(new ConfigError(Source, path, reason) { Line = at.Line, Column = at.Column });

    /// <summary>A problem with the file as a whole (unreadable, bad syntax); no key path.</summary>
    public void AddFileError(string reason, SourcePosition at = default) => Add("", at, reason);

    /// <summary>Whether something at <paramref name="path"/> or below it was already reported (so a summary error would repeat it).</summary>
    public bool HasErrorsUnder(string path) =>
        _errors.Exists(e => e.Path == path || e.Path.StartsWith(path + ".", StringComparison.Ordinal) || e.Path.StartsWith(path + "[", StringComparison.Ordinal));

    public ImmutableArray<ConfigError> ToImmutable() => [.. _errors];
}
