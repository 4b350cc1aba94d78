namespace MeshEdge.Native.Xds;

/// <summary>
/// Delay before the next attempt to reach the control plane: exponential from <see cref="Base"/> up to
/// <see cref="Max"/>, with full jitter in its upper half (so a fleet restarted together does not
/// reconnect together). Reset once a stream has carried a response.
/// </summary>
internal sealed class XdsBackoff(TimeSpan @base, TimeSpan max, Random random)
{
    private int _attempt;

    public TimeSpan Base { get; } = @base;

    public TimeSpan Max { get; } = max;

    public TimeSpan Next()
    {
        var ceiling = Math.Min(Max.TotalMilliseconds, Base.TotalMilliseconds * Math.Pow(2, Math.Min(_attempt, 20)));
        _attempt++;
        return TimeSpan.FromMilliseconds(ceiling * (0.5 + (random.NextDouble() / 2)));
    }

    public void Reset() => _attempt = 0;
}
