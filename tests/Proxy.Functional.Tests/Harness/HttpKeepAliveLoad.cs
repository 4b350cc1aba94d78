using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MeshEdge.Functional.Tests.Harness;

/// <summary>
/// Steady HTTP/1.1 keep-alive load: a few client connections, each sending one GET at a time at a
/// fixed pace and checking that the body names its own path. A response with <c>connection: close</c>
/// ends the connection and the next request opens a new one, as any client does. A request on a
/// reused connection that the server closed before answering a single byte is retried once on a new
/// connection, as RFC 9112 section 9.3.1 lets a client do for an idempotent request; such retries
/// are counted apart. Anything else (a reset or end of stream mid-response, a wrong status or body,
/// a refused connect) is a failure.
/// </summary>
internal sealed class HttpKeepAliveLoad(IPEndPoint target, int connections, TimeSpan pace)
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private long _completed;
    private long _retriedAfterIdleClose;
    private long _connectionsOpened;
    private long _closedByServer;

    public List<string> Failures { get; } = [];

    public long Completed => Interlocked.Read(ref _completed);

    public long RetriedAfterIdleClose => Interlocked.Read(ref _retriedAfterIdleClose);

    public long ConnectionsOpened => Interlocked.Read(ref _connectionsOpened);

    /// <summary>Responses that said connection: close (the draining process ending a keep-alive connection).</summary>
    public long ClosedByServer => Interlocked.Read(ref _closedByServer);

    public void Start()
    {
        for (var i = 0; i < connections; i++)
        {
            var id = i;
            _loops.Add(Task.Run(() => RunAsync(id)));
        }
    }

    public async Task StopAsync()
    {
        _stop.Cancel();
        await Task.WhenAll(_loops).WaitAsync(TimeSpan.FromSeconds(60));
    }

    private async Task RunAsync(int id)
    {
        Socket? socket = null;
        var reused = false;
        var buffer = new byte[16 * 1024];
        for (var n = 0; !_stop.IsCancellationRequested; n++)
        {
            var path = $"/c{id}/r{n}";
            var attempt = 0;
            while (true)
            {
                if (socket is null)
                {
                    try
                    {
                        socket = await Loopback.ConnectAsync(target);
                        Interlocked.Increment(ref _connectionsOpened);
                        reused = false;
                    }
                    catch (Exception ex)
                    {
                        Fail($"{path}: connect failed: {ex.Message}");
                        break;
                    }
                }

                var outcome = await ExchangeAsync(socket, path, buffer);
                if (outcome.Error is null)
                {
                    Interlocked.Increment(ref _completed);
                    reused = true;
                    if (outcome.Close)
                    {
                        Interlocked.Increment(ref _closedByServer);
                        socket.Dispose();
                        socket = null;
                    }

                    break;
                }

                socket.Dispose();
                socket = null;
                if (outcome.NothingReceived && reused && attempt++ == 0)
                {
                    Interlocked.Increment(ref _retriedAfterIdleClose);
                    continue;
                }

                Fail($"{path}: {outcome.Error}");
                break;
            }

            try
            {
                await Task.Delay(pace, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        socket?.Dispose();
    }

    private void Fail(string failure)
    {
        lock (Failures)
        {
            Failures.Add(failure);
        }
    }

    private static async Task<(string? Error, bool Close, bool NothingReceived)> ExchangeAsync(Socket socket, string path, byte[] buffer)
    {
        var filled = 0;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await Loopback.SendAllAsync(socket, Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nhost: load.test\r\n\r\n"), timeout.Token);
            while (true)
            {
                var n = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, timeout.Token);
                if (n == 0)
                {
                    return ($"end of stream after {filled} response bytes", false, filled == 0);
                }

                filled += n;
                var text = Encoding.ASCII.GetString(buffer, 0, filled);
                var headEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (headEnd < 0)
                {
                    continue;
                }

                var head = text[..headEnd];
                var lengthLine = head.Split("\r\n").FirstOrDefault(l => l.StartsWith("content-length:", StringComparison.OrdinalIgnoreCase));
                if (lengthLine is null)
                {
                    return ($"no content-length in {head}", false, false);
                }

                var length = int.Parse(lengthLine[15..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
                if (filled < headEnd + 4 + length)
                {
                    continue;
                }

                var body = text.Substring(headEnd + 4, length);
                if (!head.StartsWith("HTTP/1.1 200", StringComparison.Ordinal) || body != "ok " + path)
                {
                    return ($"unexpected response {head.Split("\r\n")[0]} / {body}", false, false);
                }

                var close = head.Contains("connection: close", StringComparison.OrdinalIgnoreCase);
                return (null, close, false);
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or IOException)
        {
            return ($"{ex.GetType().Name}: {ex.Message} after {filled} response bytes", false, filled == 0);
        }
    }
}
