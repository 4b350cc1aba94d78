using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using MeshEdge.Functional.Tests.Harness;

namespace MeshEdge.Functional.Tests.Backends;

/// <summary>
/// An HTTP/1.1 backend that misbehaves on demand. Each request's action comes from <see cref="Script"/>
/// or, by default, from its <c>x-action</c> header:
/// <list type="bullet">
/// <item><c>echo</c> (default): 200 whose body is the received head; headers report the backend's name,
/// the request's number on its connection and the body's length and SHA-256.</item>
/// <item><c>status:N</c>: the echo with status N. <c>close</c>: the echo with connection: close, then a close.</item>
/// <item><c>delay:MS</c>: the echo after a delay. <c>reset</c>: an RST instead of an answer.</item>
/// <item><c>hold</c>: the echo once the test calls <see cref="ReleaseHeld"/>: a request kept in flight for as long
/// as a test needs it there, however slow the machine, where a delay would have to guess.</item>
/// <item><c>chunked</c>: the echo in three chunks with a trailer. <c>until-close</c>: the echo without framing, ended by a close.</item>
/// <item><c>reject:N</c>: status N with connection: close as soon as the head is in, the body left unread.</item>
/// <item><c>big:N</c>: 200 with an N-byte body of a repeating pattern, counted in <see cref="BodyBytesSent"/> as it goes.</item>
/// <item><c>linger-close:MS</c>: the echo as if the connection stays, then a close MS later (a keep-alive timeout).</item>
/// <item><c>drop-next</c>: the echo as if the connection stays, then an RST as soon as the next request arrives,
/// unread and not counted in <see cref="Requests"/> (an idle close racing the proxy's reuse of the connection).</item>
/// <item><c>truncate</c>: a head announcing 100000 bytes, 10 of them, then a close.</item>
/// <item><c>invalid</c>: bytes that are not an HTTP response. <c>cl-and-te</c>: a response framed both ways (smuggling).</item>
/// <item><c>upgrade</c>: 101, then an echo of raw bytes.</item>
/// </list>
/// </summary>
internal sealed class ScriptedHttpBackend : IAsyncDisposable
{
    private readonly TcpBackend _tcp;
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _bodyBytesSent;

    private ScriptedHttpBackend(string name)
    {
        Name = name;
        _tcp = TcpBackend.Start(ServeAsync);
    }

    public string Name { get; }

    public IPEndPoint EndPoint => _tcp.EndPoint;

    /// <summary>Connections accepted so far.</summary>
    public int Connections => _tcp.Accepted;

    /// <summary>Body bytes of <c>big:N</c> answers handed to the socket so far.</summary>
    public long BodyBytesSent => Interlocked.Read(ref _bodyBytesSent);

    /// <summary>Connections that have ended, from either side.</summary>
    public int ClosedConnections => _tcp.Closed;

    public IReadOnlyCollection<ReceivedRequest> Requests => _requests;

    /// <summary>Chooses each request's action; null reads the <c>x-action</c> header.</summary>
    public Func<ReceivedRequest, string>? Script { get; set; }

    public static ScriptedHttpBackend Start(string name = "backend") => new(name);

    public void AssertNoErrors() => _tcp.AssertNoErrors();

    /// <summary>Answers every <c>hold</c> request, those waiting now and those to come.</summary>
    public void ReleaseHeld() => _released.TrySetResult();

    public ValueTask DisposeAsync() => _tcp.DisposeAsync();

    /// <summary>A test class's clean-up: fails the test if a connection saw an error, and stops the backend either way.</summary>
    public async Task AssertNoErrorsAndDisposeAsync()
    {
        try
        {
            AssertNoErrors();
        }
        finally
        {
            await DisposeAsync();
        }
    }

    private async Task ServeAsync(Socket socket, CancellationToken stopping)
    {
        var reader = new HttpStreamReader(socket);
        var number = 0;
        try
        {
            while (await reader.ReadHeadAsync(stopping) is { } head)
            {
                if (string.Equals(head.Get("expect"), "100-continue", StringComparison.OrdinalIgnoreCase))
                {
                    await Send(socket, "HTTP/1.1 100 Continue\r\n\r\n", stopping);
                }

                if (head.Get("x-action") is { } early && early.StartsWith("reject:", StringComparison.Ordinal))
                {
                    await RejectAsync(socket, reader, early["reject:".Length..], stopping);
                    return;
                }

                var body = await reader.ReadBodyAsync(head, untilClose: false, stopping);
                var request = new ReceivedRequest(head, body, ++number);
                _requests.Enqueue(request);
                if (!await AnswerAsync(socket, reader, request, stopping))
                {
                    return;
                }
            }
        }
        catch (Exception error) when (error is SocketException or EndOfStreamException or IOException)
        {
            // The proxy gave up on the connection (timeout, reset, drain): nothing more to answer.
        }
    }

    /// <summary>Answers one request; false when the connection is to end.</summary>
    private async Task<bool> AnswerAsync(Socket socket, HttpStreamReader reader, ReceivedRequest request, CancellationToken stopping)
    {
        var action = Script?.Invoke(request) ?? request.Head.Get("x-action") ?? "echo";
        var argument = action.Contains(':') ? action[(action.IndexOf(':') + 1)..] : "";
        switch (action.Split(':')[0])
        {
            case "status":
                await Send(socket, Echo(request, int.Parse(argument, CultureInfo.InvariantCulture), close: false), stopping);
                return true;
            case "close":
                await Send(socket, Echo(request, 200, close: true), stopping);
                return false;
            case "delay":
                await Task.Delay(int.Parse(argument, CultureInfo.InvariantCulture), stopping);
                await Send(socket, Echo(request, 200, close: false), stopping);
                return true;
            case "hold":
                await _released.Task.WaitAsync(stopping);
                await Send(socket, Echo(request, 200, close: false), stopping);
                return true;
            case "linger-close":
                await Send(socket, Echo(request, 200, close: false), stopping);
                await Task.Delay(int.Parse(argument, CultureInfo.InvariantCulture), stopping);
                return false;
            case "drop-next":
                await Send(socket, Echo(request, 200, close: false), stopping);
                await reader.ReadSomeAsync(stopping);
                socket.LingerState = new LingerOption(true, 0);
                return false;
            case "big":
                await SendBigAsync(socket, long.Parse(argument, CultureInfo.InvariantCulture), stopping);
                return true;
            case "chunked":
                await Send(socket, Chunked(request), stopping);
                return true;
            case "until-close":
                await Send(socket, "HTTP/1.1 200 OK\r\nx-framing: none\r\n\r\n" + request.Head.Raw, stopping);
                return false;
            case "reset":
                socket.LingerState = new LingerOption(true, 0);
                return false;
            case "truncate":
                await Send(socket, "HTTP/1.1 200 OK\r\ncontent-length: 100000\r\n\r\n0123456789", stopping);
                return false;
            case "invalid":
                await Send(socket, "HTTP/1.1 2x0 Broken\r\nno colon here\r\n\r\n", stopping);
                return false;
            case "cl-and-te":
                await Send(socket, "HTTP/1.1 200 OK\r\ncontent-length: 5\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", stopping);
                return false;
            case "upgrade":
                await Send(socket, "HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: upgrade\r\n\r\n", stopping);
                await EchoRawAsync(socket, reader, stopping);
                return false;
            default:
                await Send(socket, Echo(request, 200, close: false), stopping);
                return true;
        }
    }

    private byte[] Echo(ReceivedRequest request, int status, bool close)
    {
        var body = Encoding.Latin1.GetBytes(request.Head.Raw);
        var head = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} Scripted\r\n")
            .Append(CultureInfo.InvariantCulture, $"content-length: {body.Length}\r\n")
            .Append(CultureInfo.InvariantCulture, $"x-backend: {Name}\r\n")
            .Append(CultureInfo.InvariantCulture, $"x-connection-request: {request.NumberOnConnection}\r\n")
            .Append(CultureInfo.InvariantCulture, $"x-body-length: {request.Body.Length}\r\n")
            .Append(CultureInfo.InvariantCulture, $"x-body-sha256: {Convert.ToHexStringLower(SHA256.HashData(request.Body))}\r\n")
            .Append("x-remove-me: secret\r\n")
            .Append(close ? "connection: close\r\n" : "")
            .Append("\r\n");
        return request.Head.Method == "HEAD" ? Encoding.Latin1.GetBytes(head.ToString()) : [.. Encoding.Latin1.GetBytes(head.ToString()), .. body];
    }

    private async Task SendBigAsync(Socket socket, long length, CancellationToken stopping)
    {
        await Send(socket, $"HTTP/1.1 200 OK\r\ncontent-length: {length}\r\n\r\n", stopping);
        var block = new byte[64 * 1024];
        for (var i = 0; i < block.Length; i++)
        {
            block[i] = (byte)(i % 251);
        }

        for (var left = length; left > 0;)
        {
            var take = (int)Math.Min(left, block.Length);
            await Loopback.SendAllAsync(socket, block.AsMemory(0, take), stopping);
            left -= take;
            Interlocked.Add(ref _bodyBytesSent, take);
        }
    }

    private static string Chunked(ReceivedRequest request)
    {
        var body = request.Head.Raw;
        var third = body.Length / 3;
        var chunks = new[] { body[..third], body[third..(2 * third)], body[(2 * third)..] };
        var text = new StringBuilder("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\ntrailer: x-checksum\r\n\r\n");
        foreach (var chunk in chunks)
        {
            text.Append(CultureInfo.InvariantCulture, $"{chunk.Length:x};ext=1\r\n{chunk}\r\n");
        }

        return text.Append("0\r\nx-checksum: 42\r\n\r\n").ToString();
    }

    /// <summary>Answers before the body and then drops it until the proxy closes, as a well-behaved server does.</summary>
    private static async Task RejectAsync(Socket socket, HttpStreamReader reader, string status, CancellationToken stopping)
    {
        await Send(socket, $"HTTP/1.1 {status} Rejected\r\ncontent-length: 0\r\nconnection: close\r\n\r\n", stopping);
        socket.Shutdown(SocketShutdown.Send);
        while ((await reader.ReadSomeAsync(stopping)).Length > 0)
        {
        }
    }

    private static async Task EchoRawAsync(Socket socket, HttpStreamReader reader, CancellationToken stopping)
    {
        while (true)
        {
            var bytes = await reader.ReadSomeAsync(stopping);
            if (bytes.Length == 0)
            {
                socket.Shutdown(SocketShutdown.Send);
                return;
            }

            await Loopback.SendAllAsync(socket, bytes, stopping);
        }
    }

    private static Task Send(Socket socket, string text, CancellationToken stopping) => Send(socket, Encoding.Latin1.GetBytes(text), stopping);

    private static async Task Send(Socket socket, byte[] bytes, CancellationToken stopping) => await Loopback.SendAllAsync(socket, bytes, stopping);
}
