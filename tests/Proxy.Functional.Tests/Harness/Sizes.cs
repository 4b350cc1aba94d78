namespace MeshEdge.Functional.Tests.Harness;

internal static class Sizes
{
    public const int KiB = 1024;
    public const int MiB = 1024 * 1024;
}
