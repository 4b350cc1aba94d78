namespace MeshEdge.Config;

/// <summary>One problem found while loading a configuration.</summary>
/// <param name="Source">The file name or path exactly as given to the loader.</param>
/// <param name="Path">Where in the document, like <c>listeners[0].address</c>; empty for problems with
/// the file itself (unreadable, bad syntax).</param>
/// <param name="Reason">What is wrong, in words meant for the person editing the file.</param>
public sealed record ConfigError(string Source, string Path, string Reason)
{
    /// <summary>1-based line of the offending text, or 0 when unknown (JSON values carry no position).</summary>
    public int Line { get; init; }

    /// <summary>1-based column of the offending text, or 0 when unknown.</summary>
    public int Column { get; init; }

    /// <summary>
    /// <c>file.toml:12:11: listeners[0].address: port 70000 is out of range</c> when the position is
    /// known, else <c>file.json: listeners[0].address: ...</c>; the compiler-like prefix lets editors
    /// jump to the line.
    /// </summary>
    public override string ToString()
    {
        var where = Line > 0 ? $"{Source}:{Line}:{Column}" : Source;
        return Path.Length > 0 ? $"{where}: {Path}: {Reason}" : $"{where}: {Reason}";
    }
}
