using MeshEdge.Codecs.Http1;

namespace MeshEdge.Native.Http;

/// <summary>
/// A request head as the exchange sees it, whichever HTTP version brought it: method, authority,
/// path and query, and the fields, all as spans into storage rented for the request (see
/// <see cref="HeaderBlock"/>). The HTTP/1.1 codec fills it from the request line and the Host
/// field; an HTTP/2 stream fills the same parts from :method, :authority and :path, so routing,
/// rewriting, retries and the access log read one shape. One per downstream stream, reused.
/// </summary>
internal sealed class RequestHead : HeaderBlock
{
    private int _methodOffset;
    private int _methodLength;
    private int _targetOffset;
    private int _targetLength;
    private int _absoluteAuthorityOffset;
    private int _absoluteAuthorityLength = -1;

    public Http1Method Method { get; private set; }

    /// <summary>The client's HTTP version; an upstream HTTP/1 request keeps 1.0 for a 1.0 client (no chunked reply).</summary>
    public Http1Version Version { get; private set; }

    /// <summary>The index of the first field of each kind the proxy acts on, or -1.</summary>
    public int HostField { get; private set; } = -1;

    public int ConnectionField { get; private set; } = -1;

    public int RequestIdField { get; private set; } = -1;

    public int ForwardedForField { get; private set; } = -1;

    /// <summary>The Trailer field, announcing the trailer fields to come after the body (RFC 9110 §6.6.2), or -1.</summary>
    public int TrailerField { get; private set; } = -1;

    /// <summary>The client asked to switch protocols (HTTP/1.1 Upgrade): a 101 turns the stream into a tunnel.</summary>
    public bool IsUpgrade { get; set; }

    /// <summary>
    /// The client takes trailers (TE: trailers; gRPC's clients always send it): an HTTP/1.1 response
    /// carries the upstream's trailers in its last chunk only then, and an h2 upstream request is
    /// sent with <c>te: trailers</c> (TE itself is hop-by-hop and dropped).
    /// </summary>
    public bool AcceptsTrailers { get; set; }

    /// <summary>The request came on an HTTP/2 stream (%PROTOCOL% says HTTP/2; an HTTP/1 upstream still gets 1.1).</summary>
    public bool IsHttp2 { get; private set; }

    /// <summary>The body length the client declared, or -1 when it did not (chunked, HTTP/2 without content-length).</summary>
    public long DeclaredLength { get; set; } = -1;

    public ReadOnlySpan<byte> MethodToken => Stored(_methodOffset, _methodLength);

    /// <summary>The request target in origin-form: path and query (an absolute-form target's scheme and authority are split off).</summary>
    public ReadOnlySpan<byte> Target => Stored(_targetOffset, _targetLength);

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
        _absoluteAuthorityLength >= 0 ? Stored(_absoluteAuthorityOffset, _absoluteAuthorityLength)
        : HostField < 0 ? default
        : Value(HostField);

    public override void Begin()
    {
        base.Begin();
        _absoluteAuthorityLength = -1;
        _methodLength = _targetLength = 0;
        HostField = ConnectionField = RequestIdField = ForwardedForField = TrailerField = -1;
        IsUpgrade = false;
        IsHttp2 = false;
        AcceptsTrailers = false;
        DeclaredLength = -1;
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
            _targetOffset = originForm.IsEmpty || originForm[0] != (byte)'/' ? Store("/"u8) : Used;
            Store(originForm);
            _targetLength = Used - _targetOffset;
            return;
        }

        _targetOffset = Store(target);
        _targetLength = target.Length;
    }

    /// <summary>
    /// The request as HTTP/2 states it (RFC 9113 §8.3.1): <c>:method</c>, <c>:authority</c> (which,
    /// like an absolute-form target, wins over a Host field) and <c>:path</c>, origin-form. The
    /// version is 1.1 for an HTTP/1 upstream: h2 carries any body length, so nothing limits it to 1.0.
    /// Without :authority the Host field, if any, names the authority (RFC 9113 §8.3.1).
    /// </summary>
    public void SetPseudoHeaders(ReadOnlySpan<byte> method, ReadOnlySpan<byte> authority, ReadOnlySpan<byte> path)
    {
        Method = Http1Methods.Classify(method);
        Version = Http1Version.Http11;
        IsHttp2 = true;
        _methodOffset = Store(method);
        _methodLength = method.Length;
        if (!authority.IsEmpty)
        {
            _absoluteAuthorityOffset = Store(authority);
            _absoluteAuthorityLength = authority.Length;
        }

        _targetOffset = Store(path);
        _targetLength = path.Length;
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

    protected override void OnFieldAdded(Http1KnownHeader known, int index)
    {
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
            case Http1KnownHeader.Trailer when TrailerField < 0:
                TrailerField = index;
                break;
        }
    }
}
