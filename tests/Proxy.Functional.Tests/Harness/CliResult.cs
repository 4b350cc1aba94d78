namespace MeshEdge.Functional.Tests.Harness;

/// <summary>What a one-shot meshedge command did: exit code, output lines, and a dump for failure messages.</summary>
internal sealed record CliResult(int ExitCode, IReadOnlyList<string> Stdout, IReadOnlyList<string> Stderr, string Description)
{
    public override string ToString() => Description;
}
