using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using MeshEdge.Functional.Tests.Harness;

namespace MeshEdge.Functional.Tests.Backends;

/// <summary>
/// Reads each connection to end of stream, verifying it against <see cref="TestPattern"/>, and publishes
/// the verifier per connection. Started paused it is the non-reading upstream: it accepts but reads
/// nothing until <see cref="Resume"/>, so the client's sends back up into the proxy.
/// </summary>
internal sealed class SinkServer : IAsyncDisposable
{
    private readonly Channel<PatternVerifier> _results = Channel.CreateUnbounded<PatternVerifier>();
    private readonly TaskCompletionSource _reading = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _bytesReceived;

    private SinkServer(bool paused)
    {
        if (!paused)
        {
            _reading.SetResult();
        }

        Backend = TcpBackend.Start(ReadAsync);
    }

    public TcpBackend Backend { get; }

    public IPEndPoint EndPoint => Backend.EndPoint;

    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    public static SinkServer Start() => new(paused: false);

    /// <summary>A sink that accepts connections but does not read until <see cref="Resume"/>.</summary>
    public static SinkServer StartPaused() => new(paused: true);

    public void Resume() => _reading.TrySetResult();

    /// <summary>The verifier of the next connection that reached end of stream.</summary>
    public async Task<PatternVerifier> NextResultAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            return await _results.Reader.ReadAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException(
                $"sink saw no connection reach end of stream within {timeout.TotalSeconds:0}s ({BytesReceived} bytes received)");
        }
    }

    public ValueTask DisposeAsync() => Backend.DisposeAsync();

    private async Task ReadAsync(Socket connection, CancellationToken stopping)
    {
        await _reading.Task.WaitAsync(stopping);
        var verifier = new PatternVerifier();
        var buffer = new byte[256 * 1024];
        try
        {
            while (true)
            {
                var n = await connection.ReceiveAsync(buffer, SocketFlags.None, stopping);
                if (n == 0)
                {
                    break;
                }

                verifier.Feed(buffer.AsSpan(0, n));
                Interlocked.Add(ref _bytesReceived, n);
            }
        }
        catch (SocketException error)
        {
            // Published rather than swallowed, so the test fails at once instead of waiting out its deadline.
            verifier.StreamError = error.SocketErrorCode.ToString();
        }

        _results.Writer.TryWrite(verifier);
    }
}
