using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MeshEdge.Functional.Tests.Harness;

/// <summary>
/// A client that writes exactly the bytes a test gives it (pipelined requests, smuggling attempts,
/// half heads) and reads responses one at a time, with the default liveness deadline on each read.
/// </summary>
internal sealed class RawHttpClient : IDisposable
{
    private readonly Socket _socket;
    private readonly HttpStreamReader _reader;

    private RawHttpClient(Socket socket)
    {
        _socket = socket;
        _reader = new HttpStreamReader(socket);
    }

    public Socket Socket => _socket;

    public static async Task<RawHttpClient> ConnectAsync(IPEndPoint endPoint) => new(await Loopback.ConnectAsync(endPoint));

    public Task SendAsync(string text) => SendAsync(Encoding.Latin1.GetBytes(text));

    public async Task SendAsync(byte[] bytes)
    {
        using var deadline = new CancellationTokenSource(Loopback.DefaultTimeout);
        await Loopback.SendAllAsync(_socket, bytes, deadline.Token);
    }

    /// <summary>The next response (an interim 1xx counts as one); fails if the connection closes first.</summary>
    public async Task<RawResponse> ReadResponseAsync(bool headRequest = false)
    {
        using var deadline = new CancellationTokenSource(Loopback.DefaultTimeout);
        var head = await _reader.ReadHeadAsync(deadline.Token)
            ?? throw new Xunit.Sdk.XunitException("the proxy closed the connection instead of answering");
        var body = headRequest || head.Status is < 200 or 204 or 304
            ? []
            : await _reader.ReadBodyAsync(head, untilClose: true, deadline.Token);
        return new RawResponse(head, body);
    }

    /// <summary>Bytes after an upgrade: what is buffered or arrives next.</summary>
    public async Task<byte[]> ReadSomeAsync()
    {
        using var deadline = new CancellationTokenSource(Loopback.DefaultTimeout);
        return await _reader.ReadSomeAsync(deadline.Token);
    }

    /// <summary>True when the proxy closes the connection (end of stream or reset) within the deadline.</summary>
    public async Task<bool> WaitForCloseAsync(TimeSpan? timeout = null)
    {
        if (_reader.Buffered > 0)
        {
            return false;
        }

        return await Loopback.WaitForCloseAsync(_socket, timeout ?? Loopback.DefaultTimeout);
    }

    public void Dispose() => _socket.Dispose();
}

/// <summary>One response read by <see cref="RawHttpClient"/>.</summary>
internal sealed record RawResponse(HttpHead Head, byte[] Body)
{
    public int Status => Head.Status;

    public string BodyText => Encoding.Latin1.GetString(Body);

    /// <summary>The echo backend's body is the head it received.</summary>
    public HttpHead EchoedRequest => HttpHead.Parse(BodyText);

    public bool Closes => string.Equals(Head.Get("connection"), "close", StringComparison.OrdinalIgnoreCase);
}
