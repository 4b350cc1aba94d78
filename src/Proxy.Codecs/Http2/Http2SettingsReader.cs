namespace MeshEdge.Codecs.Http2;

/// <summary>
/// Walks the entries of a SETTINGS payload already checked by the frame reader (a multiple of six
/// bytes, every value in range): <c>foreach (var setting in frame.Settings)</c>, in wire order, since
/// a later value for the same id wins (§6.5.3).
/// </summary>
internal ref struct Http2SettingsReader
{
    private readonly ReadOnlySpan<byte> _payload;
    private int _next;

    public Http2SettingsReader(ReadOnlySpan<byte> payload)
    {
        _payload = payload;
        _next = 0;
        Current = default;
    }

    public Http2Setting Current { get; private set; }

    public readonly Http2SettingsReader GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_next + Http2Constants.SettingLength > _payload.Length)
        {
            return false;
        }

        Current = Http2Setting.Read(_payload.Slice(_next, Http2Constants.SettingLength));
        _next += Http2Constants.SettingLength;
        return true;
    }
}
