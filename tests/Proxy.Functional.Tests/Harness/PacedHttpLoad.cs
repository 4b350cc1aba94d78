using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace MeshEdge.Functional.Tests.Harness;

/// <summary>
/// What the keep-alive HTTP/1.1 load clients share: a few connection loops started and stopped
/// together, a failure list that any loop may add to, the wait between requests (cut short by the
/// stop), and one GET exchange read to the end of its content-length body.
/// </summary>
internal abstract class PacedHttpLoad(int connections)
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];

    public List<string> Failures { get; } = [];

    protected bool Stopping => _stop.IsCancellationRequested;

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

    /// <summary>One connection's loop until <see cref="Stopping"/>; <paramref name="id"/> numbers it from 0.</summary>
    protected abstract Task RunAsync(int id);

    protected void Fail(string failure)
    {
        lock (Failures)
        {
            Failures.Add(failure);
        }
    }

    /// <summary>Waits <paramref name="delay"/> (nothing when it is not positive); false once the load is stopping.</summary>
    protected async Task<bool> WaitAsync(TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            return !Stopping;
        }

        try
        {
            await Task.Delay(delay, _stop.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    protected static byte[] Get(string path) => Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nhost: load.test\r\n\r\n");

    /// <summary>Sends <paramref name="request"/> and reads one response with a content-length body; an error (with the bytes that came) instead of throwing.</summary>
    protected static async Task<LoadResponse> ExchangeAsync(Socket socket, byte[] request, byte[] buffer)
    {
        var filled = 0;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await Loopback.SendAllAsync(socket, request, timeout.Token);
            while (true)
            {
                var n = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, timeout.Token);
                if (n == 0)
                {
                    return LoadResponse.Failed($"end of stream after {filled} response bytes", filled);
                }

                filled += n;
                var text = Encoding.ASCII.GetString(buffer, 0, filled);
                var headEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (headEnd < 0)
                {
                    continue;
                }

                var lines = text[..headEnd].Split("\r\n");
                var lengthLine = lines.FirstOrDefault(l => l.StartsWith("content-length:", StringComparison.OrdinalIgnoreCase));
                if (lengthLine is null)
                {
                    return LoadResponse.Failed($"no content-length in {lines[0]}", filled);
                }

                var length = int.Parse(lengthLine[15..].Trim(), CultureInfo.InvariantCulture);
                if (filled < headEnd + 4 + length)
                {
                    continue;
                }

                var status = lines[0].Split(' ') is [_, var code, ..] && int.TryParse(code, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
                var close = lines.Any(l => l.Equals("connection: close", StringComparison.OrdinalIgnoreCase));
                return new LoadResponse(null, filled, status, lines[0], text.Substring(headEnd + 4, length), close);
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or IOException)
        {
            return LoadResponse.Failed($"{ex.GetType().Name}: {ex.Message} after {filled} response bytes", filled);
        }
    }

    /// <summary>One exchange's outcome: <see cref="Error"/> when no whole response came, else its status, status line, body and whether it closes the connection.</summary>
    protected readonly record struct LoadResponse(string? Error, int Received, int Status, string StatusLine, string Body, bool Close)
    {
        public static LoadResponse Failed(string error, int received) => new(error, received, 0, "", "", false);
    }
}
