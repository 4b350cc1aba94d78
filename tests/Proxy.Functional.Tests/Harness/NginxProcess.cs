using System.Net;

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
    private const string CountedLog = "counted.log";

    private readonly PeerProcess _process;
    private readonly TempDirectory _directory;

    private NginxProcess(PeerProcess process, TempDirectory directory, int port)
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
        port ??= LoopbackPorts.Free();
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

                # Requests under /counted/ are logged too: a test counts what reached this upstream (see CountedServed).
                map $uri $meshedge_counted { ~^/counted/ 1; default 0; }
                access_log {{directory.PathOf(CountedLog)}} probe if=$meshedge_counted;
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
        // SIGTERM on dispose: nginx's fast shutdown, so it closes its logs and sockets itself.
        var process = PeerProcess.Start("nginx", "nginx", ["-c", configPath, "-p", directory.Path, "-e", directory.PathOf("error.log")], directory, stopGracefully: true);
        var nginx = new NginxProcess(process, directory, port.Value);
        await process.WaitUntilListeningAsync(nginx.EndPoint, nginx.Describe);
        return nginx;
    }

    /// <summary>Writes a file of <paramref name="size"/> seeded random bytes under the root and returns its content.</summary>
    public byte[] WriteFile(string name, int size, int seed) => RandomFile.Write(Path.Combine(Root, name), size, seed);

    /// <summary>
    /// Health-check requests (user-agent meshedge-health-check) this nginx has answered so far. nginx
    /// logs a request once it has sent the response, so a probe is counted after it has passed.
    /// </summary>
    public int HealthChecksServed() => CountLines(HealthCheckLog);

    /// <summary>Requests under /counted/ this nginx has answered so far (logged once the response is sent).</summary>
    public int CountedServed() => CountLines(CountedLog);

    private int CountLines(string logName)
    {
        var path = _directory.PathOf(logName);
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

    /// <summary>SIGSTOP: the backend stops reading and answering; the kernel still takes its connects and requests.</summary>
    public void Freeze() => _process.Signal(Libc.SigStop);

    /// <summary>SIGCONT: a frozen backend reads and answers again.</summary>
    public void Thaw() => _process.Signal(Libc.SigCont);

    /// <summary>SIGKILL, as a crash: no graceful close, the kernel resets its connections. Returns once it has exited.</summary>
    public Task KillHardAsync() => _process.KillAsync();

    public string Describe()
    {
        var log = File.Exists(_directory.PathOf("error.log")) ? File.ReadAllText(_directory.PathOf("error.log")) : "";
        return $"{_process.Describe()}\n--- nginx error.log ---\n{log}";
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
