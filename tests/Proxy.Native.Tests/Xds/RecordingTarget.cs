using MeshEdge.Config.Model;
using MeshEdge.Native.Hosting;

namespace MeshEdge.Native.Tests.Xds;

/// <summary>A live-config target that records every config handed to it and accepts it (or refuses, when told to).</summary>
internal sealed class RecordingTarget : ILiveConfigTarget
{
    private readonly List<(ProxyConfig Config, string Version)> _applied = [];

    public string? Refusal { get; set; }

    public IReadOnlyList<(ProxyConfig Config, string Version)> Applied
    {
        get
        {
            lock (_applied)
            {
                return [.. _applied];
            }
        }
    }

    public ProxyConfig? Last => Applied.Count > 0 ? Applied[^1].Config : null;

    public string? TryApply(ProxyConfig next, string origin, string version)
    {
        Assert.Equal("xds", origin);
        if (Refusal is not null)
        {
            return Refusal;
        }

        lock (_applied)
        {
            _applied.Add((next, version));
        }

        return null;
    }
}
