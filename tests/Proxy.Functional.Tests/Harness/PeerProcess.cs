using System.Diagnostics;
using System.Net;
using System.Text;

namespace MeshEdge.Functional.Tests.Harness;

/// <summary>
/// A long-running peer process a test starts (nghttpd, nginx, socat, a python3-h2 server, openssl
/// s_server): started with its output captured line by line for failure messages, waited on until
/// it is ready (a port that accepts, or a line it prints), and stopped and reaped at the end. The
/// temp directory it works in, if any, goes with it, so a start that fails leaves nothing behind.
/// </summary>
internal sealed class PeerProcess : IAsyncDisposable
{
    /// <summary>How long a peer may take to become ready; generous because the machine is loaded.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly TempDirectory? _directory;
    private readonly bool _stopGracefully;
    private readonly StringBuilder _output = new();
    private bool _disposed;

    private PeerProcess(string name, Process process, TempDirectory? directory, bool stopGracefully)
    {
        Name = name;
        _process = process;
        _directory = directory;
        _stopGracefully = stopGracefully;
    }

    /// <summary>What failure messages call it ("nghttpd", "the GOAWAY server").</summary>
    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything it wrote so far, stdout and stderr interleaved as the lines arrived.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <param name="name">What failure messages call it.</param>
    /// <param name="file">The program.</param>
    /// <param name="arguments">Its arguments, passed as they are (no shell).</param>
    /// <param name="directory">A temp directory it uses, deleted when it is disposed.</param>
    /// <param name="stopGracefully">SIGTERM first on dispose (up to 10 s to exit), then SIGKILL; otherwise SIGKILL at once.</param>
    /// <param name="holdInput">Give it a stdin pipe that stays open (openssl s_server ends at EOF on its stdin).</param>
    public static PeerProcess Start(string name, string file, IEnumerable<string> arguments, TempDirectory? directory = null, bool stopGracefully = false, bool holdInput = false)
    {
        var startInfo = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = holdInput };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(startInfo) ?? throw new InvalidOperationException($"could not start {file}");
        }
        catch
        {
            directory?.Dispose();
            throw;
        }

        var peer = new PeerProcess(name, process, directory, stopGracefully);
        process.ErrorDataReceived += (_, line) => peer.Append(line.Data);
        process.OutputDataReceived += (_, line) => peer.Append(line.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return peer;
    }

    /// <summary>Waits until <paramref name="endPoint"/> accepts connections; see <see cref="WaitUntilAsync"/> for a failure.</summary>
    public Task WaitUntilListeningAsync(IPEndPoint endPoint, Func<string>? describe = null) =>
        WaitUntilAsync(async () => !await Loopback.IsRefusedAsync(endPoint), $"did not start listening on {endPoint}", describe);

    /// <summary>Waits until it has printed a line containing <paramref name="text"/>.</summary>
    public Task WaitUntilPrintedAsync(string text, Func<string>? describe = null) =>
        WaitUntilAsync(() => Task.FromResult(Printed(text)), $"did not print \"{text}\"", describe);

    /// <summary>
    /// Waits until <paramref name="ready"/> holds. If it exits first or <see cref="StartTimeout"/> passes,
    /// stops it, deletes its directory and fails the test with its output (or <paramref name="describe"/>'s text).
    /// </summary>
    public async Task WaitUntilAsync(Func<Task<bool>> ready, string what, Func<string>? describe = null)
    {
        var clock = Stopwatch.StartNew();
        while (!_process.HasExited && clock.Elapsed < StartTimeout)
        {
            if (await ready())
            {
                return;
            }

            await Task.Delay(50);
        }

        // One look after the loop: it may have become ready and exited, or become ready at the deadline.
        if (!_process.HasExited && await ready())
        {
            return;
        }

        var why = describe?.Invoke() ?? Describe();
        var exit = _process.HasExited ? $" (it exited with code {_process.ExitCode})" : $" within {StartTimeout.TotalSeconds}s";
        await DisposeAsync();
        Assert.Fail($"{Name} {what}{exit}\n{why}");
    }

    /// <summary>Whether a line it printed contains <paramref name="text"/>.</summary>
    public bool Printed(string text) => Output.Contains(text, StringComparison.Ordinal);

    /// <summary>Lines it printed that <paramref name="match"/> accepts.</summary>
    public int CountLines(Func<string, bool> match) => Output.Split('\n').Count(match);

    /// <summary>Its output for a failure message, the last <paramref name="maxCharacters"/> of it.</summary>
    public string Describe(int maxCharacters = 4000)
    {
        var text = Output;
        return $"--- {Name} output{(text.Length > maxCharacters ? $" (last {maxCharacters} characters)" : "")} ---\n" + (text.Length > maxCharacters ? text[^maxCharacters..] : text);
    }

    public void Signal(int signal) => Libc.Kill(_process.Id, signal);

    /// <summary>SIGKILL, as a crash; returns once it has exited.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync().WaitAsync(StopTimeout);
    }

    public async ValueTask DisposeAsync()
    {
        // A failed start disposes it already; the owner's dispose then has nothing left to do.
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited && _stopGracefully)
        {
            Signal(Libc.SigTerm);
            using var grace = new CancellationTokenSource(StopTimeout);
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                // It did not stop on SIGTERM: the kill below ends it.
            }
        }

        // The whole tree: socat forks a child per connection.
        await KillAsync();
        _process.Dispose();
        _directory?.Dispose();
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
