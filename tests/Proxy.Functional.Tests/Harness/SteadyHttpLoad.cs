using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MeshEdge.Functional.Tests.Harness;

/// <summary>
/// A strict steady-rate HTTP/1.1 client: a few keep-alive connections, each sending one GET at a
/// time at a fixed pace. Unlike <see cref="HttpKeepAliveLoad"/> it retries nothing: any error, close
/// or status other than 200 is a failure. Each answer's body (the backend's name) is recorded with
/// its connection, the time its request was sent and the time it arrived, so a test can tell which
/// backend served what, and which requests were sent after a moment (a kill, a mark) on any machine,
/// however loaded, rather than guess how long an earlier one may still take.
/// </summary>
internal sealed class SteadyHttpLoad(IPEndPoint target, string path, int connections, TimeSpan pace, Stopwatch clock) : PacedHttpLoad(connections)
{
    private readonly List<(int Connection, long SentMs, long AtMs, string Body)> _answers = [];

    public int Sent => Volatile.Read(ref _sent);

    private int _sent;

    /// <summary>
    /// Every 200's body, its connection (0 to connections - 1), when its request was sent and when it
    /// arrived (on the shared clock), in no particular order.
    /// </summary>
    public IReadOnlyList<(int Connection, long SentMs, long AtMs, string Body)> Answers
    {
        get
        {
            lock (_answers)
            {
                return [.. _answers];
            }
        }
    }

    protected override async Task RunAsync(int id)
    {
        Socket? socket = null;
        var buffer = new byte[16 * 1024];
        var request = Get(path);
        var next = clock.Elapsed;
        while (!Stopping)
        {
            try
            {
                socket ??= await Loopback.ConnectAsync(target);
                Interlocked.Increment(ref _sent);
                var sentMs = clock.ElapsedMilliseconds;
                var response = await ExchangeAsync(socket, request, buffer);
                if (response.Error is not null || response.Close)
                {
                    socket.Dispose();
                    socket = null;
                }

                if (response.Status == 200)
                {
                    lock (_answers)
                    {
                        _answers.Add((id, sentMs, clock.ElapsedMilliseconds, response.Body));
                    }
                }
                else
                {
                    Fail($"at {clock.ElapsedMilliseconds} ms: {response.Error ?? $"status {response.Status}: {response.Body}"}");
                }
            }
            catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
            {
                Fail($"at {clock.ElapsedMilliseconds} ms: {ex.GetType().Name}: {ex.Message}");
                socket?.Dispose();
                socket = null;
            }

            // A fixed schedule, not a fixed gap: a slow answer does not lower the rate afterwards, and a
            // client stalled by a busy machine catches up with a burst, which only makes the load harsher.
            next += pace;
            if (!await WaitAsync(next - clock.Elapsed))
            {
                break;
            }
        }

        socket?.Dispose();
    }
}
