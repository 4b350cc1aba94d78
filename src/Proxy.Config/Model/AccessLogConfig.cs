namespace MeshEdge.Config.Model;

/// <summary>Where a listener's access log goes ("stdout", "stderr" or a file path) and its line format.</summary>
public sealed record AccessLogConfig(string Path, string Format);
