using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;
using MeshEdge.Codecs.Rpc;
using MeshEdge.Config.Model;

namespace MeshEdge.Native.Rpc;

/// <summary>
/// One compiled route: the match's strings turned into UTF-8 bytes once, so matching compares the
/// frame's header spans directly and makes no string per request. Only a regex needs characters; the
/// service name is decoded into a stack (or rented) buffer for it.
/// </summary>
internal sealed class RpcRoute
{
    private const int StackDecodeLimit = 512;

    private readonly byte[]? _service;
    private readonly byte[]? _servicePrefix;
    private readonly Regex? _serviceRegex;
    private readonly byte[]? _method;
    private readonly (byte[] Name, byte[] Value)[] _headers;

    public RpcRoute(RpcRouteMatch match, int clusterIndex, int timeoutMs)
    {
        _service = Bytes(match.Service);
        _servicePrefix = Bytes(match.ServicePrefix);
        // Anchored: the regex must match the whole service name, as Envoy's safe_regex does.
        _serviceRegex = match.ServiceRegex is null ? null : new Regex($"^(?:{match.ServiceRegex})$", RegexOptions.CultureInvariant);
        _method = Bytes(match.Method);
        _headers = match.Headers.Select(h => (Encoding.UTF8.GetBytes(h.Key), Encoding.UTF8.GetBytes(h.Value))).ToArray();
        ClusterIndex = clusterIndex;
        TimeoutMs = timeoutMs;
    }

    public int ClusterIndex { get; }

    /// <summary>The timeout for requests that carry none of their own.</summary>
    public int TimeoutMs { get; }

    /// <param name="hasService">Whether the request names its service (<paramref name="service"/>), as the codec's
    /// ReadRouteNames found it: looked up once per request by the caller, not once per route.</param>
    /// <param name="method">The request's method, from a header or the payload; empty when unknown.</param>
    public bool Matches<TCodec>(in TCodec codec, ReadOnlySpan<byte> headerBlock, bool hasService, ReadOnlySpan<byte> service, ReadOnlySpan<byte> method)
        where TCodec : struct, IRpcCodec
    {
        if (_service is not null || _servicePrefix is not null || _serviceRegex is not null)
        {
            if (!hasService || !ServiceMatches(service))
            {
                return false;
            }
        }

        if (_method is not null && (method.IsEmpty || !method.SequenceEqual(_method)))
        {
            return false;
        }

        foreach (var (name, value) in _headers)
        {
            if (!codec.TryGetHeader(headerBlock, name, out var actual) || !actual.SequenceEqual(value))
            {
                return false;
            }
        }

        return true;
    }

    private bool ServiceMatches(ReadOnlySpan<byte> service)
    {
        if (_service is not null)
        {
            return service.SequenceEqual(_service);
        }

        if (_servicePrefix is not null)
        {
            return service.StartsWith(_servicePrefix);
        }

        return RegexMatches(_serviceRegex!, service);
    }

    private static bool RegexMatches(Regex regex, ReadOnlySpan<byte> utf8)
    {
        char[]? rented = null;
        var chars = utf8.Length <= StackDecodeLimit
            ? stackalloc char[StackDecodeLimit]
            : (rented = ArrayPool<char>.Shared.Rent(utf8.Length));
        try
        {
            var count = Encoding.UTF8.GetChars(utf8, chars);
            return regex.IsMatch(chars[..count]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    private static byte[]? Bytes(string? value) => value is null ? null : Encoding.UTF8.GetBytes(value);
}
