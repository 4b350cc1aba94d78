using System.Buffers;
using BenchmarkDotNet.Attributes;
using MeshEdge.Codecs.Http1;

namespace MeshEdge.Benchmarks;

/// <summary>
/// The per-request parse cost of the HTTP/1.1 codec: a browser-like request head, the same head cut
/// across two blocks (the line that straddles them takes the copy path), and a response head with its
/// body framed. Every one must show 0 bytes allocated.
/// </summary>
[MemoryDiagnoser]
public class Http1ParserBenchmarks
{
    private const string Request =
        "GET /api/v1/catalog/items?category=books&sort=price&page=3 HTTP/1.1\r\n"
        + "Host: shop.example.com\r\n"
        + "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n"
        + "Accept: application/json, text/plain, */*\r\n"
        + "Accept-Language: en-US,en;q=0.5\r\n"
        + "Accept-Encoding: gzip, deflate, br\r\n"
        + "Referer: https://shop.example.com/catalog\r\n"
        + "Cookie: session=3f2a9c0e7b1d4e8f; theme=dark\r\n"
        + "Connection: keep-alive\r\n"
        + "X-Request-Id: 9b2f6a1c-4d3e-4f5a-8b7c-1e2d3f4a5b6c\r\n"
        + "\r\n";

    private const string Response =
        "HTTP/1.1 200 OK\r\n"
        + "Server: nginx/1.22.1\r\n"
        + "Date: Wed, 25 Nov 2026 03:14:15 GMT\r\n"
        + "Content-Type: application/json\r\n"
        + "Content-Length: 64\r\n"
        + "Connection: keep-alive\r\n"
        + "Cache-Control: no-cache\r\n"
        + "X-Request-Id: 9b2f6a1c-4d3e-4f5a-8b7c-1e2d3f4a5b6c\r\n"
        + "\r\n"
        + "{\"items\":[{\"id\":1,\"title\":\"A Book\",\"price\":12.5}],\"total\":1}   \n";

    private ReadOnlySequence<byte> _request;
    private ReadOnlySequence<byte> _requestInTwoBlocks;
    private ReadOnlySequence<byte> _response;

    [GlobalSetup]
    public void Setup()
    {
        var request = System.Text.Encoding.ASCII.GetBytes(Request);
        _request = new ReadOnlySequence<byte>(request);
        _requestInTwoBlocks = TwoSegments(request, request.Length / 2);
        _response = new ReadOnlySequence<byte>(System.Text.Encoding.ASCII.GetBytes(Response));
    }

    [Benchmark(Baseline = true)]
    public long ParseRequest() => ParseRequestHead(_request);

    [Benchmark]
    public long ParseRequestAcrossBlocks() => ParseRequestHead(_requestInTwoBlocks);

    [Benchmark]
    public long ParseResponse()
    {
        var parser = new Http1ResponseParser(Http1ParserLimits.Default, Http1Method.Get);
        var handler = new CountingHandler();
        var result = parser.Parse(ref handler, _response);
        var body = new Http1BodyReader(parser.Head.Framing, Http1ParserLimits.Default);
        var step = body.Read(ref handler, _response.Slice(result.Consumed));
        return result.Consumed + step.DataLength + handler.Bytes;
    }

    private static long ParseRequestHead(in ReadOnlySequence<byte> input)
    {
        var parser = new Http1RequestParser(Http1ParserLimits.Default);
        var handler = new CountingHandler();
        var result = parser.Parse(ref handler, input);
        return result.Consumed + handler.Bytes + (parser.Head.KeepAlive ? 1 : 0);
    }

    private static ReadOnlySequence<byte> TwoSegments(byte[] data, int cut)
    {
        var first = new Segment(data.AsMemory(0, cut), 0);
        var second = new Segment(data.AsMemory(cut), cut);
        first.SetNext(second);
        return new ReadOnlySequence<byte>(first, 0, second, data.Length - cut);
    }

    /// <summary>A handler that touches what a session would (the known-header id and lengths) and nothing more.</summary>
    private struct CountingHandler : IHttp1RequestHandler, IHttp1ResponseHandler
    {
        public long Bytes;

        public void OnRequestLine(Http1Method method, ReadOnlySpan<byte> methodToken, ReadOnlySpan<byte> target, Http1Version version) =>
            Bytes += target.Length;

        public void OnStatusLine(Http1Version version, int statusCode, ReadOnlySpan<byte> reasonPhrase) => Bytes += statusCode;

        public void OnHeader(Http1KnownHeader header, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) =>
            Bytes += (int)header + value.Length;
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public void SetNext(Segment next) => Next = next;
    }
}
