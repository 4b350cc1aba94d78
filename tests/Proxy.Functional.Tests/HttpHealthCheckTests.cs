using System.Net.Sockets;
using System.Text;
using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests;

/// <summary>HTTP health checks: a host whose health path answers 503 leaves rotation, and comes back when it answers 200.</summary>
public sealed class HttpHealthCheckTests(ITestOutputHelper output)
{
    [Fact]
    public async Task AHostFailingItsHttpCheckGetsNoRequestsUntilItRecovers()
    {
        var sickStatus = 503;
        await using var healthy = TcpBackend.Start((socket, stopping) => ServeAsync(socket, "healthy", () => 200, stopping));
        await using var sick = TcpBackend.Start((socket, stopping) => ServeAsync(socket, "sick", () => Volatile.Read(ref sickStatus), stopping));
        var toml = $$"""
            [runtime]
            workers = 1
            drain_timeout = "5s"

            [[listeners]]
            name = "web"
            address = "127.0.0.1:0"
            protocol = "http"
            [listeners.http]
            [[listeners.http.virtual_hosts]]
            name = "all"
            routes = [{ match = { prefix = "/" }, cluster = "app" }]

            [[clusters]]
            name = "app"
            hosts = ["{{sick.EndPoint}}", "{{healthy.EndPoint}}"]
            health_check = { type = "http", path = "/healthz", host = "app.internal", expected_statuses = [200], interval = "200ms", timeout = "1s", unhealthy_threshold = 1 }
            """;
        using var directory = new TempDirectory();
        await using var proxy = ProxyProcess.Launch(["run", "-c", directory.Write("meshedge.toml", toml)], output);
        await proxy.WaitUntilStartedAsync();
        await proxy.WaitForLogAsync("host unhealthy", TimeSpan.FromSeconds(10), line => line.Get("host") == sick.EndPoint.ToString());

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        var web = $"http://{proxy.ListenerAddress("web")}";
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal("healthy", await http.GetStringAsync($"{web}/work/{i}"));
        }

        Volatile.Write(ref sickStatus, 200);
        await proxy.WaitForLogAsync("host healthy", TimeSpan.FromSeconds(10), line => line.Get("host") == sick.EndPoint.ToString());
        var answers = new HashSet<string>();
        for (var i = 0; i < 10; i++)
        {
            answers.Add(await http.GetStringAsync($"{web}/work/{i}"));
        }

        Assert.Contains("sick", answers);
        await proxy.StopCleanlyAsync();
    }

    /// <summary>Answers /healthz with the current status (and checks the Host the checker sends), anything else with its name.</summary>
    private static async Task ServeAsync(Socket socket, string name, Func<int> healthStatus, CancellationToken stopping)
    {
        var buffer = new byte[16 * 1024];
        var received = 0;
        while (true)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(received), SocketFlags.None, stopping);
            if (n == 0)
            {
                return;
            }

            received += n;
            var text = Encoding.ASCII.GetString(buffer, 0, received);
            if (!text.Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                continue;
            }

            received = 0;
            var isCheck = text.StartsWith("GET /healthz ", StringComparison.Ordinal);
            var status = isCheck ? (text.Contains("host: app.internal", StringComparison.OrdinalIgnoreCase) ? healthStatus() : 400) : 200;
            var body = isCheck ? "" : name;
            var response = $"HTTP/1.1 {status} X\r\ncontent-length: {body.Length}\r\n\r\n{body}";
            await Loopback.SendAllAsync(socket, Encoding.ASCII.GetBytes(response), stopping);
        }
    }
}
