namespace MeshEdge.Native.Rpc;

/// <summary>
/// The header block of the last request a worker context routed in full, with the (service, method)
/// pair it came to, for the next request to compare against. Clients send the same few header
/// blocks over and over (a SOFA client's are the same bytes for every call of a method), so one
/// byte compare of a block of a few dozen bytes usually stands for the walk of the header map, the
/// pair's lookup and its route. Only a pair that keeps its route (routes that match on names alone)
/// is remembered; a method the payload names (hessian2) is part of the key, since equal headers do
/// not say the payload names the same method.
/// </summary>
internal sealed class RpcRouteCache
{
    /// <summary>Longer header blocks are not kept (SOFA clients send a few dozen bytes).</summary>
    public const int MaxHeaderLength = 512;

    /// <summary>Longer method names from the payload are not kept.</summary>
    public const int MaxContentMethodLength = 128;

    private readonly byte[] _headers = new byte[MaxHeaderLength];
    private readonly byte[] _contentMethod = new byte[MaxContentMethodLength];
    private int _headersLength;
    private int _contentMethodLength;

    /// <summary>The pair the remembered headers led to; null when nothing is remembered.</summary>
    public RpcMethodStats? Pair { get; private set; }

    /// <summary>The remembered headers named the method themselves: the payload is not looked at.</summary>
    public bool MethodInHeaders { get; private set; }

    /// <summary>Whether <paramref name="headers"/> are the remembered header block, byte for byte.</summary>
    public bool Matches(ReadOnlySpan<byte> headers) =>
        Pair is not null && headers.SequenceEqual(new ReadOnlySpan<byte>(_headers, 0, _headersLength));

    /// <summary>Whether the payload of a request with the remembered headers names the same method (or none, as before).</summary>
    /// <remarks>None against none, the common case when the payload is not hessian2, is told without the call to compare.</remarks>
    public bool MatchesContentMethod(ReadOnlySpan<byte> method) =>
        method.Length == _contentMethodLength
        && (method.IsEmpty || method.SequenceEqual(new ReadOnlySpan<byte>(_contentMethod, 0, _contentMethodLength)));

    /// <summary>Remembers <paramref name="headers"/> and what they led to, or forgets all when they are too long to keep.</summary>
    public void Remember(ReadOnlySpan<byte> headers, bool methodInHeaders, ReadOnlySpan<byte> contentMethod, RpcMethodStats pair)
    {
        if (headers.Length > MaxHeaderLength || contentMethod.Length > MaxContentMethodLength)
        {
            Pair = null;
            return;
        }

        headers.CopyTo(_headers);
        _headersLength = headers.Length;
        contentMethod.CopyTo(_contentMethod);
        _contentMethodLength = contentMethod.Length;
        MethodInHeaders = methodInHeaders;
        Pair = pair;
    }
}
