using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
/// <remarks>
/// The payload's part of the key is its serialization and its bytes from the start through the end of
/// the method's name, not the name: the codec's reader looks at nothing else (a hessian2 payload's
/// reader at no byte past the name), so a payload that starts with the same bytes names the same
/// method, and one compare of a few hundred bytes stands for the parse of a SofaRequest's class
/// definition, field names and the values before the method (sofa-rpc-node's calls through the
/// proxy: 5,905 -> 2,009 instructions a call, callgrind).
/// </remarks>
internal sealed class RpcRouteCache
{
    /// <summary>Longer header blocks are not kept (SOFA clients send a few dozen bytes).</summary>
    public const int MaxHeaderLength = 512;

    /// <summary>Longer payload prefixes are not kept (the session reads at most this much of a payload for its method).</summary>
    public const int MaxContentPrefixLength = 512;

    private readonly byte[] _headers = new byte[MaxHeaderLength];
    private readonly byte[] _contentPrefix = new byte[MaxContentPrefixLength];
    private int _headersLength;
    private int _contentPrefixLength;
    private byte _contentSerialization;

    /// <summary>The pair the remembered headers led to; null when nothing is remembered.</summary>
    public RpcMethodStats? Pair { get; private set; }

    /// <summary>The remembered headers named the method themselves: the payload is not looked at.</summary>
    public bool MethodInHeaders { get; private set; }

    /// <summary>The remembered payload named the method: its prefix through the name is the key (<see cref="MatchesContentPrefix"/>); else the payload named none.</summary>
    public bool HasContentMethod => _contentPrefixLength > 0;

    /// <summary>Whether <paramref name="headers"/> are the remembered header block, byte for byte.</summary>
    public bool Matches(ReadOnlySpan<byte> headers) =>
        Pair is not null && headers.SequenceEqual(new ReadOnlySpan<byte>(_headers, 0, _headersLength));

    /// <summary>
    /// Whether the <paramref name="length"/> bytes at <paramref name="offset"/> of <paramref name="frame"/>
    /// (a request's header block, which the frame reader found inside the frame) are the remembered
    /// header block, byte for byte. Compared in place 16 bytes at a time, the last 16 overlapping the
    /// ones before, inlined into the request's step: a SOFA client's block of a few dozen bytes takes
    /// three compares, where the general compare's call and its dispatch on the length cost ~40
    /// instructions. Shorter blocks take the general compare.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool MatchesHeaders(ReadOnlySpan<byte> frame, int offset, int length)
    {
        if (length != _headersLength)
        {
            return false;
        }

        Debug.Assert((uint)offset + (uint)length <= (uint)frame.Length, "a header block lies inside its frame");
        return BytesEqual(ref Unsafe.Add(ref MemoryMarshal.GetReference(frame), offset), _headers, length);
    }

    /// <summary>
    /// Whether the <paramref name="length"/> bytes at <paramref name="candidate"/> are the first
    /// <paramref name="length"/> of <paramref name="remembered"/> (which holds at least that many): 16
    /// bytes at a time, the last 16 overlapping the ones before; shorter runs take the general compare.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool BytesEqual(ref byte candidate, byte[] remembered, int length)
    {
        if (length < Vector128<byte>.Count)
        {
            return MemoryMarshal.CreateReadOnlySpan(ref candidate, length).SequenceEqual(new ReadOnlySpan<byte>(remembered, 0, length));
        }

        ref var known = ref MemoryMarshal.GetArrayDataReference(remembered);
        var last = (nuint)(length - Vector128<byte>.Count);
        for (nuint i = 0; i < last; i += (nuint)Vector128<byte>.Count)
        {
            if (Vector128.LoadUnsafe(ref candidate, i) != Vector128.LoadUnsafe(ref known, i))
            {
                return false;
            }
        }

        return Vector128.LoadUnsafe(ref candidate, last) == Vector128.LoadUnsafe(ref known, last);
    }

    /// <summary>
    /// Whether <paramref name="content"/> (the start of a payload in <paramref name="serialization"/>)
    /// begins with the remembered payload's bytes through its method's name, in the same serialization.
    /// </summary>
    /// <remarks>Inlined into the request's step, with the compare of <see cref="MatchesHeaders"/> (a SOFA request's prefix is some 150 bytes).</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool MatchesContentPrefix(byte serialization, ReadOnlySpan<byte> content) =>
        serialization == _contentSerialization
        && content.Length >= _contentPrefixLength
        && BytesEqual(ref MemoryMarshal.GetReference(content), _contentPrefix, _contentPrefixLength);

    /// <summary>
    /// Remembers <paramref name="headers"/> and what they led to, with <paramref name="contentPrefix"/>:
    /// the payload's bytes through the method it names (in <paramref name="serialization"/>), or empty
    /// when the headers name the method or the payload names none. Forgets all when either is too long to keep.
    /// </summary>
    public void Remember(ReadOnlySpan<byte> headers, bool methodInHeaders, ReadOnlySpan<byte> contentPrefix, byte serialization, RpcMethodStats pair)
    {
        if (headers.Length > MaxHeaderLength || contentPrefix.Length > MaxContentPrefixLength)
        {
            Pair = null;
            return;
        }

        headers.CopyTo(_headers);
        _headersLength = headers.Length;
        contentPrefix.CopyTo(_contentPrefix);
        _contentPrefixLength = contentPrefix.Length;
        _contentSerialization = serialization;
        MethodInHeaders = methodInHeaders;
        Pair = pair;
    }
}
