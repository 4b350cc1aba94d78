using MeshEdge.Config.AccessLog;

namespace MeshEdge.Native.AccessLogs;

/// <summary>
/// The request-side values an RPC access-log line needs (service, method, the headers its format
/// names), copied out of the frame when the request arrives, because the frame's bytes move upstream
/// long before the line is written. One per pooled request record, reused: its buffer grows to the
/// largest request seen and then stays, so steady state allocates nothing.
/// </summary>
internal sealed class RpcLogFields
{
    private readonly (int Start, int Length)[] _segments;
    private byte[] _bytes = new byte[256];
    private int _used;
    private (int Start, int Length) _service;
    private (int Start, int Length) _method;

    public RpcLogFields(AccessLogFormat format)
    {
        _segments = new (int, int)[format.Segments.Length];
        Clear();
    }

    public ReadOnlySpan<byte> Service => Slice(_service);

    public ReadOnlySpan<byte> Method => Slice(_method);

    /// <summary>The header captured for the format's segment <paramref name="segment"/> (a %REQ(name)%); empty when absent.</summary>
    public ReadOnlySpan<byte> Header(int segment) => Slice(_segments[segment]);

    public void Clear()
    {
        _used = 0;
        _service = _method = (0, 0);
        Array.Fill(_segments, (0, 0));
    }

    public void SetService(ReadOnlySpan<byte> value) => _service = Append(value);

    public void SetMethod(ReadOnlySpan<byte> value) => _method = Append(value);

    public void SetHeader(int segment, ReadOnlySpan<byte> value) => _segments[segment] = Append(value);

    private (int Start, int Length) Append(ReadOnlySpan<byte> value)
    {
        if (_used + value.Length > _bytes.Length)
        {
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _used + value.Length));
        }

        value.CopyTo(_bytes.AsSpan(_used));
        var range = (_used, value.Length);
        _used += value.Length;
        return range;
    }

    private ReadOnlySpan<byte> Slice((int Start, int Length) range) => _bytes.AsSpan(range.Start, range.Length);
}
