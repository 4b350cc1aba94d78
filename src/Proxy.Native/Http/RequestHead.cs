using System.Buffers;
using System.Text;
using MeshEdge.Codecs.Http1;

namespace MeshEdge.Native.Http;

/// <summary>
/// A request head kept for as long as its request lives: the parser's spans are only valid during
/// its callbacks, but routing, header rewriting, retries and the access log need the fields later.
/// The bytes are copied once into an array rented for the request and given back when it ends, so a
/// keep-alive connection between requests holds nothing. One per session, reused.
/// </summary>
internal sealed class RequestHead
{
    private const int InitialBytes = 2048;
    private const int InitialFields = 32;

    private byte[] _bytes = [];
    private HeaderField[] _fields = [];
    private int _used;
    private int _methodOffset;
    private int _methodLength;
    private int _targetOffset;
    private int _targetLength;
    private int _absoluteAuthorityOffset;
    private int _absoluteAuthorityLength = -1;

    public Http1Method Method { get; private set; }

    public Http1Version Version { get; private set; }

    public int FieldCount { get; private set; }

    /// <summary>The index of the first field of each kind the proxy acts on, or -1.</summary>
    public int HostField { get; private set; } = -1;

    public int ConnectionField { get; private set; } = -1;

    public int RequestIdField { get; private set; } = -1;

    public int ForwardedForField { get; private set; } = -1;

    public bool IsActive => _bytes.Length > 0;

    public ReadOnlySpan<byte> MethodToken => _bytes.AsSpan(_methodOffset, _methodLength);

    /// <summary>The request target in origin-form: path and query (an absolute-form target's scheme and authority are split off).</summary>
    public ReadOnlySpan<byte> Target => _bytes.AsSpan(_targetOffset, _targetLength);

    public ReadOnlySpan<byte> Path
    {
        get
        {
            var target = Target;
            var query = target.IndexOf((byte)'?');
            return query < 0 ? target : target[..query];
        }
    }

    /// <summary>What follows the '?', without it; empty when there is none.</summary>
    public ReadOnlySpan<byte> Query
    {
        get
        {
            var target = Target;
            var query = target.IndexOf((byte)'?');
            return query < 0 ? default : target[(query + 1)..];
        }
    }

    /// <summary>
    /// Host and port as the client named them, or empty: the authority of an absolute-form target,
    /// which wins over the Host field (RFC 9112 §3.2.2), else the Host field's value.
    /// </summary>
    public ReadOnlySpan<byte> Authority =>
        _absoluteAuthorityLength >= 0 ? _bytes.AsSpan(_absoluteAuthorityOffset, _absoluteAuthorityLength)
        : HostField < 0 ? default
        : Value(HostField);

    public ref readonly HeaderField Field(int index) => ref _fields[index];

    public ReadOnlySpan<byte> Name(int index) => _bytes.AsSpan(_fields[index].NameOffset, _fields[index].NameLength);

    public ReadOnlySpan<byte> Value(int index) => _bytes.AsSpan(_fields[index].ValueOffset, _fields[index].ValueLength);

    /// <summary>The first field named <paramref name="lowerCaseName"/>, or -1.</summary>
    public int Find(ReadOnlySpan<byte> lowerCaseName)
    {
        for (var i = 0; i < FieldCount; i++)
        {
            if (_fields[i].NameLength == lowerCaseName.Length && Ascii.EqualsIgnoreCase(Name(i), lowerCaseName))
            {
                return i;
            }
        }

        return -1;
    }

    public void Begin()
    {
        if (!IsActive)
        {
            _bytes = ArrayPool<byte>.Shared.Rent(InitialBytes);
            _fields = ArrayPool<HeaderField>.Shared.Rent(InitialFields);
        }

        _used = 0;
        _absoluteAuthorityLength = -1;
        FieldCount = 0;
        HostField = ConnectionField = RequestIdField = ForwardedForField = -1;
    }

    /// <summary>Gives the storage back; the session calls it when its request is over.</summary>
    public void End()
    {
        if (!IsActive)
        {
            return;
        }

        ArrayPool<byte>.Shared.Return(_bytes);
        ArrayPool<HeaderField>.Shared.Return(_fields);
        _bytes = [];
        _fields = [];
    }

    public void SetRequestLine(Http1Method method, ReadOnlySpan<byte> methodToken, ReadOnlySpan<byte> target, Http1Version version)
    {
        Method = method;
        Version = version;
        _methodOffset = Store(methodToken);
        _methodLength = methodToken.Length;
        if (SplitAbsoluteForm(target, out var authority, out var originForm))
        {
            // Routing and the upstream request both want origin-form, so keep the parts apart.
            _absoluteAuthorityOffset = Store(authority);
            _absoluteAuthorityLength = authority.Length;
            _targetOffset = originForm.IsEmpty || originForm[0] != (byte)'/' ? Store("/"u8) : _used;
            Store(originForm);
            _targetLength = _used - _targetOffset;
            return;
        }

        _targetOffset = Store(target);
        _targetLength = target.Length;
    }

    /// <summary>"http://host:8080/p?q" → "host:8080" and "/p?q"; false for any other form.</summary>
    private static bool SplitAbsoluteForm(ReadOnlySpan<byte> target, out ReadOnlySpan<byte> authority, out ReadOnlySpan<byte> originForm)
    {
        authority = originForm = default;
        var schemeEnd = target.IndexOf("://"u8);
        if (target.IsEmpty || target[0] == (byte)'/' || schemeEnd <= 0)
        {
            return false;
        }

        var rest = target[(schemeEnd + 3)..];
        var authorityEnd = rest.IndexOfAny((byte)'/', (byte)'?');
        authority = authorityEnd < 0 ? rest : rest[..authorityEnd];
        originForm = authorityEnd < 0 ? default : rest[authorityEnd..];
        return true;
    }

    public void AddField(Http1KnownHeader known, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        if (FieldCount == _fields.Length)
        {
            var larger = ArrayPool<HeaderField>.Shared.Rent(_fields.Length * 2);
            _fields.AsSpan(0, FieldCount).CopyTo(larger);
            ArrayPool<HeaderField>.Shared.Return(_fields);
            _fields = larger;
        }

        var index = FieldCount++;
        _fields[index] = new HeaderField
        {
            Known = known,
            NameOffset = Store(name),
            NameLength = name.Length,
            ValueOffset = Store(value),
            ValueLength = value.Length,
        };
        switch (known)
        {
            case Http1KnownHeader.Host when HostField < 0:
                HostField = index;
                break;
            case Http1KnownHeader.Connection when ConnectionField < 0:
                ConnectionField = index;
                break;
            case Http1KnownHeader.XRequestId when RequestIdField < 0:
                RequestIdField = index;
                break;
            case Http1KnownHeader.XForwardedFor when ForwardedForField < 0:
                ForwardedForField = index;
                break;
        }
    }

    private int Store(ReadOnlySpan<byte> bytes)
    {
        if (_used + bytes.Length > _bytes.Length)
        {
            // The parser bounds the head (max_request_headers_size), so this grows a few times at most.
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_bytes.Length * 2, _used + bytes.Length));
            _bytes.AsSpan(0, _used).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_bytes);
            _bytes = larger;
        }

        var offset = _used;
        bytes.CopyTo(_bytes.AsSpan(offset));
        _used += bytes.Length;
        return offset;
    }
}
