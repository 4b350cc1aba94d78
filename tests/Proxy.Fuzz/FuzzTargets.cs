using System.Diagnostics.CodeAnalysis;

namespace MeshEdge.Fuzz;

/// <summary>The targets by name: adding one is one line here plus a seed corpus in corpus/NAME.</summary>
internal static class FuzzTargets
{
    private static readonly Dictionary<string, FuzzTarget> Targets = new(StringComparer.Ordinal)
    {
        ["h2-frames"] = Http2FramesTarget.Run,
        ["h2-session"] = Http2SessionTarget.Run,
        ["hpack"] = HpackTarget.Run,
        ["http1"] = Http1Target.Run,
        ["bolt"] = BoltTarget.Run,
        ["tls-client-hello"] = TlsClientHelloTarget.Run,
    };

    public static IEnumerable<string> Names => Targets.Keys;

    public static bool TryGet(string name, [NotNullWhen(true)] out FuzzTarget? target) => Targets.TryGetValue(name, out target);
}
