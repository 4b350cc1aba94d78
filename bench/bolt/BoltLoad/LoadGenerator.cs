using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MeshEdge.Bench.BoltLoad;

/// <summary>
/// Keeps <c>inflight</c> requests outstanding on each of <c>connections</c> connections: every response
/// read sends a new request, so the pipe never drains. Latency is per request, send to response.
/// </summary>
internal static class LoadGenerator
{
    public static async Task<(long Requests, double Seconds, double P50Us, double P99Us, long Errors)> RunAsync(
        IPEndPoint target, int connections, int inflight, TimeSpan duration, string service, int requestContent)
    {
        var template = BenchFrames.Request(service, requestContent);
        var stop = Stopwatch.StartNew();
        var runs = Enumerable.Range(0, connections)
            .Select(_ => Task.Run(() => DriveAsync(target, inflight, duration, template)))
            .ToArray();
        var results = await Task.WhenAll(runs);
        var seconds = stop.Elapsed.TotalSeconds;
        var latencies = results.SelectMany(r => r.Latencies).ToArray();
        Array.Sort(latencies);
        double Percentile(double p) => latencies.Length == 0 ? 0
            : latencies[Math.Min(latencies.Length - 1, (int)(p * latencies.Length))] * 1e6 / Stopwatch.Frequency;
        return (results.Sum(r => r.Requests), Math.Min(seconds, duration.TotalSeconds), Percentile(0.50), Percentile(0.99), results.Sum(r => r.Errors));
    }

    private static async Task<(long Requests, long Errors, List<long> Latencies)> DriveAsync(IPEndPoint target, int inflight, TimeSpan duration, byte[] template)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(target);
        var sentAt = new long[inflight * 4];
        var latencies = new List<long>(1 << 20);
        var output = new byte[template.Length * inflight];
        var input = new byte[1 << 20];
        uint nextId = 0;
        long completed = 0, errors = 0;
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);

        async Task SendAsync(int count)
        {
            var now = Stopwatch.GetTimestamp();
            for (var i = 0; i < count; i++)
            {
                var id = ++nextId;
                template.CopyTo(output, i * template.Length);
                BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan((i * template.Length) + BenchFrames.IdOffset), id);
                sentAt[id % (uint)sentAt.Length] = now;
            }

            await socket.SendAsync(output.AsMemory(0, count * template.Length));
        }

        await SendAsync(inflight);
        var outstanding = inflight;
        var filled = 0;
        while (outstanding > 0)
        {
            var n = await socket.ReceiveAsync(input.AsMemory(filled));
            if (n == 0)
            {
                break;
            }

            filled += n;
            var at = 0;
            var answered = 0;
            var now = Stopwatch.GetTimestamp();
            while (true)
            {
                var length = BenchFrames.FrameLength(input.AsSpan(at, filled - at));
                if (length == 0 || at + length > filled)
                {
                    break;
                }

                var id = BinaryPrimitives.ReadUInt32BigEndian(input.AsSpan(at + BenchFrames.IdOffset));
                if (BinaryPrimitives.ReadUInt16BigEndian(input.AsSpan(at + 10)) != 0)
                {
                    errors++;
                }

                latencies.Add(now - sentAt[id % (uint)sentAt.Length]);
                answered++;
                at += length;
            }

            Buffer.BlockCopy(input, at, input, 0, filled - at);
            filled -= at;
            completed += answered;
            outstanding -= answered;
            if (now < deadline && answered > 0)
            {
                await SendAsync(answered);
                outstanding += answered;
            }
        }

        return (completed, errors, latencies);
    }
}
