using System.Net.Sockets;
using System.Text;
using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests;

/// <summary>
/// shutdown(SHUT_WR) on one side must reach the other side as end of stream while the opposite direction
/// keeps working: request/response protocols that signal "request complete" with a FIN depend on it.
/// </summary>
public sealed class HalfCloseTests(ITestOutputHelper output)
{
    private const int PayloadLength = Sizes.MiB;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ClientShutdownReachesUpstreamWhichCanStillReply()
    {
        // The upstream answers only after it has seen end of stream, so the reply proves both halves.
        await using var upstream = TcpBackend.Start(async (connection, stopping) =>
        {
            var request = new PatternVerifier();
            await Loopback.ReceiveToEndAsync(connection, request, stopping);
            var reply = Encoding.ASCII.GetBytes($"eof after {request.Count} bytes, first mismatch {request.FirstMismatch}");
            await Loopback.SendAllAsync(connection, reply, stopping);
            connection.Shutdown(SocketShutdown.Send);
        });
        await using var proxy = await ProxyProcess.StartAsync(ProxyConfig.ForTcpProxy(upstream.EndPoint), output);

        using (var client = await Loopback.ConnectAsync(proxy.ListenerAddress()))
        {
            await new PatternSender().SendAsync(client, PayloadLength);
            client.Shutdown(SocketShutdown.Send);

            var reply = await ReadAllTextAsync(client);
            var expected = $"eof after {PayloadLength} bytes, first mismatch -1";
            Assert.True(
                reply == expected,
                $"client got \"{reply}\" after its shutdown, expected \"{expected}\": the upstream's reply after end of stream was lost\n{proxy.Describe()}");
        }

        Assert.True(await Progress.WaitUntilAsync(() => upstream.Closed == 1, Timeout), proxy.Describe());
        await proxy.StopCleanlyAsync();
        upstream.AssertNoErrors();
    }

    [Fact]
    public async Task UpstreamShutdownReachesClientWhichCanStillSend()
    {
        var upstreamReceived = new TaskCompletionSource<PatternVerifier>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = TcpBackend.Start(async (connection, stopping) =>
        {
            await new PatternSender().SendAsync(connection, PayloadLength, stopping);
            connection.Shutdown(SocketShutdown.Send);
            var request = new PatternVerifier();
            try
            {
                await Loopback.ReceiveToEndAsync(connection, request, stopping);
            }
            catch (SocketException error)
            {
                request.StreamError = error.SocketErrorCode.ToString();
            }

            upstreamReceived.SetResult(request);
        });
        await using var proxy = await ProxyProcess.StartAsync(ProxyConfig.ForTcpProxy(upstream.EndPoint), output);

        using (var client = await Loopback.ConnectAsync(proxy.ListenerAddress()))
        {
            // End of stream first: the upstream has finished sending...
            var fromUpstream = new PatternVerifier();
            using (var deadline = new CancellationTokenSource(Timeout))
            {
                await Loopback.ReceiveToEndAsync(client, fromUpstream, deadline.Token);
            }

            fromUpstream.AssertExactly(PayloadLength, "client");

            // ...and the half-open connection still carries the client's bytes to it.
            try
            {
                await new PatternSender().SendAsync(client, PayloadLength);
                client.Shutdown(SocketShutdown.Send);
            }
            catch (SocketException error)
            {
                Assert.Fail($"client could not send after the upstream's shutdown ({error.SocketErrorCode}): the proxy closed the whole connection\n{proxy.Describe()}");
            }

            var toUpstream = await upstreamReceived.Task.WaitAsync(Timeout);
            toUpstream.AssertExactly(PayloadLength, "upstream after its own shutdown");
            Assert.True(
                await Loopback.WaitForCloseAsync(client, Timeout),
                $"client was not closed after both sides finished\n{proxy.Describe()}");
        }

        await proxy.StopCleanlyAsync();
        upstream.AssertNoErrors();
    }

    private static async Task<string> ReadAllTextAsync(Socket socket)
    {
        var text = new StringBuilder();
        var buffer = new byte[4096];
        using var deadline = new CancellationTokenSource(Timeout);
        int n;
        while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token)) > 0)
        {
            text.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }

        return text.ToString();
    }
}
