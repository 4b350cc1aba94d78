using System.Net;
using System.Net.Sockets;

namespace MeshEdge.Functional.Tests.Harness;

/// <summary>
/// Client load through an echoing proxy: short connections opened back to back (connect, send a
/// payload unique to the connection, read it back byte for byte, close) plus a few long-lived ones
/// that keep echoing numbered chunks. Every refusal, reset, short read or wrong byte is recorded as
/// a failure with what happened; nothing is retried. Every connection must end with a clean close
/// (the proxy's FIN after ours), never a reset.
/// </summary>
internal sealed class EchoLoad(IPEndPoint proxy, int shortClients, int longConnections)
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _failures = [];
    private readonly List<Task> _tasks = [];
    private readonly long[] _longRoundTrips = new long[longConnections];
    private long _shortCompleted;

    public long ShortCompleted => Interlocked.Read(ref _shortCompleted);

    /// <summary>Round trips completed so far on each long-lived connection, by its index.</summary>
    public long[] LongRoundTrips => [.. _longRoundTrips.Select((_, i) => Interlocked.Read(ref _longRoundTrips[i]))];

    public IReadOnlyList<string> Failures
    {
        get
        {
            lock (_failures)
            {
                return [.. _failures];
            }
        }
    }

    public async Task StartAsync()
    {
        // Long-lived connections first, so that they are all open before anything else happens.
        for (var i = 0; i < longConnections; i++)
        {
            var socket = await Loopback.ConnectAsync(proxy);
            var index = i;
            _tasks.Add(Task.Run(() => LongLivedAsync(socket, index)));
        }

        for (var i = 0; i < shortClients; i++)
        {
            var client = i;
            _tasks.Add(Task.Run(() => ShortConnectionsAsync(client)));
        }
    }

    /// <summary>Stops opening connections; long-lived ones finish their round trip and close gracefully.</summary>
    public async Task StopAsync()
    {
        _stop.Cancel();
        await Task.WhenAll(_tasks).WaitAsync(TimeSpan.FromSeconds(60));
    }

    private async Task ShortConnectionsAsync(int client)
    {
        var sequence = 0;
        while (!_stop.IsCancellationRequested)
        {
            var payload = Payload($"short {client}/{sequence++} ", 200);
            try
            {
                using var socket = await Loopback.ConnectAsync(proxy);
                await Loopback.SendAllAsync(socket, payload);
                var echoed = await Loopback.ReceiveExactlyAsync(socket, payload.Length);
                if (!echoed.AsSpan().SequenceEqual(payload))
                {
                    Fail($"short connection {client}/{sequence}: echoed bytes differ");
                }

                socket.Shutdown(SocketShutdown.Send);
                if (await Loopback.WaitForEndAsync(socket, Loopback.DefaultTimeout) is var end && end != ConnectionEnd.Closed)
                {
                    Fail($"short connection {client}/{sequence}: {Describe(end)} after our end of stream");
                }

                Interlocked.Increment(ref _shortCompleted);
            }
            catch (Exception ex) when (ex is SocketException or Xunit.Sdk.XunitException or OperationCanceledException)
            {
                Fail($"short connection {client}/{sequence}: {ex.GetType().Name}: {ex.Message}");
            }

            await Task.Delay(5);
        }
    }

    private async Task LongLivedAsync(Socket socket, int index)
    {
        using var owned = socket;
        var round = 0;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var chunk = Payload($"long {index}/{round++} ", 4096);
                await Loopback.SendAllAsync(socket, chunk);
                var echoed = await Loopback.ReceiveExactlyAsync(socket, chunk.Length);
                if (!echoed.AsSpan().SequenceEqual(chunk))
                {
                    Fail($"long connection {index} round {round}: echoed bytes differ");
                    return;
                }

                Interlocked.Increment(ref _longRoundTrips[index]);
                await Task.Delay(20);
            }

            socket.Shutdown(SocketShutdown.Send);
            if (await Loopback.WaitForEndAsync(socket, Loopback.DefaultTimeout) is var end && end != ConnectionEnd.Closed)
            {
                Fail($"long connection {index}: {Describe(end)} after our end of stream");
            }
        }
        catch (Exception ex) when (ex is SocketException or Xunit.Sdk.XunitException)
        {
            Fail($"long connection {index} round {round}: {ex.GetType().Name}: {ex.Message}");
        }
    }

    private static string Describe(ConnectionEnd end) => end == ConnectionEnd.Reset ? "reset" : "not closed";

    private void Fail(string what)
    {
        lock (_failures)
        {
            _failures.Add(what);
        }
    }

    /// <summary>A prefix naming the connection, then bytes that depend on it, so a mixed-up echo shows.</summary>
    private static byte[] Payload(string prefix, int length)
    {
        var bytes = new byte[length];
        var head = System.Text.Encoding.ASCII.GetBytes(prefix);
        head.AsSpan(0, Math.Min(head.Length, length)).CopyTo(bytes);
        var seed = prefix.GetHashCode();
        for (var i = head.Length; i < length; i++)
        {
            bytes[i] = (byte)(seed + (i * 31));
        }

        return bytes;
    }
}
