namespace MeshEdge.Packaging.Tests.Harness;

/// <summary>Runs aarch64 binaries on the x86_64 test machine: Debian's qemu-user-static with the cross libc as its root.</summary>
internal static class Arm64
{
    public const string Qemu = "/usr/bin/qemu-aarch64-static";

    /// <summary>Where Debian's libc6-arm64-cross keeps the aarch64 dynamic loader and libc.</summary>
    public const string LibraryRoot = "/usr/aarch64-linux-gnu";

    public static void EnsureTools() => HostTools.Ensure("qemu-user-static", "libc6-arm64-cross");

    /// <summary>qemu's arguments for running <paramref name="binary"/> with <paramref name="arguments"/>.</summary>
    public static string[] Arguments(string binary, params string[] arguments) => ["-L", LibraryRoot, binary, .. arguments];
}
