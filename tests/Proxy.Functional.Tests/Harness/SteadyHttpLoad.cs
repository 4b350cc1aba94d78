using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MeshEdge.Functional.Tests.Harness;

/// <summary>
/// A strict steady-rate HTTP/1.1 client: a few keep-alive connections, each sending one GET at a
/// time at a fixed pace. Unlike <see cref="HttpKeepAliveLoad"/> it retries nothing: any error, close
/// or status other than 200 is a failure. Each answer's body (the backend's name) is recorded with
/// the time it arrived, so a test can tell which backend served what, and when.
/// </summary>
internal sealed class SteadyHttpLoad(IPEndPoint target, string path, int connections, TimeSpan pace, Stopwatch clock)
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private readonly List<(long AtMs, string Body)> _answers = [];

    public List<string> Failures { get; } = [];

    public int Sent => Volatile.Read(ref _sent);

    private int _sent;

    /// <summary>Every 200's body and when it arrived (on the shared clock), in no particular order.</summary>
    public IReadOnlyList<(long AtMs, string Body)> Answers
    {
        get
        {
            lock (_answers)
            {
                return [.. _answers];
            }
        }
    }

    public void Start()
    {
        for (var i = 0; i < connections; i++)
        {
            _loops.Add(Task.Run(RunAsync));
        }
    }

    public async Task StopAsync()
    {
        _stop.Cancel();
        await Task.WhenAll(_loops).WaitAsync(TimeSpan.FromSeconds(60));
    }

    private async Task RunAsync()
    {
        Socket? socket = null;
        var buffer = new byte[16 * 1024];
        var request = Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nhost: load.test\r\n\r\n");
        var next = clock.Elapsed;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                socket ??= await Loopback.ConnectAsync(target);
                Interlocked.Increment(ref _sent);
                var (status, body, close) = await ExchangeAsync(socket, request, buffer);
                if (close)
                {
                    socket.Dispose();
                    socket = null;
                }

                if (status == 200)
                {
                    lock (_answers)
                    {
                        _answers.Add((clock.ElapsedMilliseconds, body));
                    }
                }
                else
                {
                    Fail($"at {clock.ElapsedMilliseconds} ms: status {status}: {body}");
                }
            }
            catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException or FormatException)
            {
                Fail($"at {clock.ElapsedMilliseconds} ms: {ex.GetType().Name}: {ex.Message}");
                socket?.Dispose();
                socket = null;
            }

            // A fixed schedule, not a fixed gap: a slow answer does not lower the rate afterwards, and a
            // client stalled by a busy machine catches up with a burst, which only makes the load harsher.
            next += pace;
            var wait = next - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
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

    private static async Task<(int Status, string Body, bool Close)> ExchangeAsync(Socket socket, byte[] request, byte[] buffer)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await Loopback.SendAllAsync(socket, request, timeout.Token);
        var filled = 0;
        while (true)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, timeout.Token);
            if (n == 0)
            {
                throw new IOException($"end of stream after {filled} response bytes");
            }

            filled += n;
            var text = Encoding.ASCII.GetString(buffer, 0, filled);
            var headEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (headEnd < 0)
            {
                continue;
            }

            var lines = text[..headEnd].Split("\r\n");
            var lengthLine = lines.FirstOrDefault(l => l.StartsWith("content-length:", StringComparison.OrdinalIgnoreCase))
                ?? throw new FormatException($"no content-length in {lines[0]}");
            var length = int.Parse(lengthLine[15..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            if (filled < headEnd + 4 + length)
            {
                continue;
            }

            var close = lines.Any(l => l.Equals("connection: close", StringComparison.OrdinalIgnoreCase));
            return (int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), text.Substring(headEnd + 4, length), close);
        }
    }
}
