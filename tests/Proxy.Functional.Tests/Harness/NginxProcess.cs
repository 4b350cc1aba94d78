using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MeshEdge.Functional.Tests.Harness;

/// <summary>
/// A private nginx (Debian's nginx-light) as a real upstream: its own config, pid file, logs and
/// temp paths in a temp directory, <c>daemon off</c> and <c>master_process off</c> so the process
/// the test starts is the one that serves and the one stopped with SIGTERM. It serves files from
/// <see cref="Root"/> and accepts PUT there (WebDAV), so an upload can be checked byte for byte.
/// </summary>
internal sealed class NginxProcess : IAsyncDisposable
{
    private const string HealthCheckLog = "health-checks.log";

    private readonly Process _process;
    private readonly TempDirectory _directory;
    private readonly StringBuilder _output = new();

    private NginxProcess(Process process, TempDirectory directory, int port)
    {
        _process = process;
        _directory = directory;
        EndPoint = new IPEndPoint(IPAddress.Loopback, port);
    }

    public IPEndPoint EndPoint { get; }

    public string Root => Path.Combine(_directory.Path, "root");

    /// <param name="port">The port to listen on (a restart where a killed one was); null picks a free one.</param>
    /// <param name="tls">nginx directives that make the server speak TLS (ssl_certificate...); null for plaintext.</param>
    public static async Task<NginxProcess> StartAsync(int? port = null, string? tls = null)
    {
        var directory = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(directory.Path, "root"));
        Directory.CreateDirectory(Path.Combine(directory.Path, "tmp"));
        port ??= FreePort();
        var config = $$"""
            daemon off;
            master_process off;
            worker_processes 1;
            pid {{directory.PathOf("nginx.pid")}};
            error_log {{directory.PathOf("error.log")}} info;
            events { worker_connections 1024; }
            http {
                # Only the proxy's health-check probes are logged: a test counts them to know how many
                # check rounds reached this backend (see HealthChecksServed).
                map $http_user_agent $meshedge_health_check { "meshedge-health-check" 1; default 0; }
                log_format probe "$msec $request";
                access_log {{directory.PathOf(HealthCheckLog)}} probe if=$meshedge_health_check;
                client_body_temp_path {{directory.PathOf("tmp")}};
                proxy_temp_path {{directory.PathOf("tmp")}};
                fastcgi_temp_path {{directory.PathOf("tmp")}};
                uwsgi_temp_path {{directory.PathOf("tmp")}};
                scgi_temp_path {{directory.PathOf("tmp")}};
                client_max_body_size 0;
                keepalive_requests 100000;
                server {
                    listen 127.0.0.1:{{port}}{{(tls is null ? "" : " ssl")}};
                    {{tls}}
                    root {{Path.Combine(directory.Path, "root")}};
                    location / {
                        dav_methods PUT;
                        create_full_put_path on;
                    }
                }
            }
            """;
        var configPath = directory.Write("nginx.conf", config);
        var startInfo = new ProcessStartInfo("nginx") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "-c", configPath, "-p", directory.Path, "-e", directory.PathOf("error.log") })
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException("could not start nginx");
        var nginx = new NginxProcess(process, directory, port.Value);
        process.ErrorDataReceived += (_, line) => nginx.Append(line.Data);
        process.OutputDataReceived += (_, line) => nginx.Append(line.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var clock = Stopwatch.StartNew();
        while (!process.HasExited && await Loopback.IsRefusedAsync(nginx.EndPoint) && clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(50);
        }

        if (process.HasExited || clock.Elapsed >= TimeSpan.FromSeconds(20))
        {
            var why = nginx.Describe();
            await nginx.DisposeAsync();
            Assert.Fail("nginx did not start listening\n" + why);
        }

        return nginx;
    }

    /// <summary>Writes a file of <paramref name="size"/> seeded random bytes under the root and returns its content.</summary>
    public byte[] WriteFile(string name, int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        File.WriteAllBytes(Path.Combine(Root, name), bytes);
        return bytes;
    }

    /// <summary>
    /// Health-check requests (user-agent meshedge-health-check) this nginx has answered so far. nginx
    /// logs a request once it has sent the response, so a probe is counted after it has passed.
    /// </summary>
    public int HealthChecksServed()
    {
        var path = _directory.PathOf(HealthCheckLog);
        if (!File.Exists(path))
        {
            return 0;
        }

        using var log = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var lines = 0;
        int b;
        while ((b = log.ReadByte()) >= 0)
        {
            lines += b == '\n' ? 1 : 0;
        }

        return lines;
    }

    /// <summary>SIGKILL, as a crash: no graceful close, the kernel resets its connections. Returns once it has exited.</summary>
    /// <summary>SIGSTOP: the backend stops reading and answering; the kernel still takes its connects and requests.</summary>
    public void Freeze() => Libc.Kill(_process.Id, Libc.SigStop);

    /// <summary>SIGCONT: a frozen backend reads and answers again.</summary>
    public void Thaw() => Libc.Kill(_process.Id, Libc.SigCont);

    public async Task KillHardAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
    }

    public string Describe()
    {
        lock (_output)
        {
            var log = File.Exists(_directory.PathOf("error.log")) ? File.ReadAllText(_directory.PathOf("error.log")) : "";
            return $"--- nginx output ---\n{_output}\n--- nginx error.log ---\n{log}";
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Libc.Kill(_process.Id, Libc.SigTerm);
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
            }
        }

        _process.Dispose();
        _directory.Dispose();
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
