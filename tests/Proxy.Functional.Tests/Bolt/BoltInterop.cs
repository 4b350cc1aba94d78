using System.Diagnostics;
using MeshEdge.Functional.Tests.Harness;

namespace MeshEdge.Functional.Tests.Bolt;

/// <summary>
/// Where the Node peers live (tests/interop/bolt: sofa-rpc-node and sofa-bolt-node, the SOFA team's
/// own implementations) and the one-time <c>npm ci</c> that a fresh machine needs before they run.
/// </summary>
internal static class BoltInterop
{
    public static NodeInterop Interop { get; } = new("BoltInteropDirectory");

    public static string Directory => Interop.Directory;

    /// <summary>Runs scripts/ensure-node-packages.sh once per test run (it does nothing when node_modules is current).</summary>
    public static Task EnsureInstalledAsync() => Interop.EnsureInstalledAsync();

    public static ProcessStartInfo Node(string script, string argument) => Interop.Node(script, argument);
}
