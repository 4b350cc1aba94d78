using System.Diagnostics;
using System.Text;
using System.Text.Json;
using MeshEdge.Functional.Tests.Harness;

namespace MeshEdge.Functional.Tests.Bolt;

/// <summary>
/// A Node peer that reports on stdout with one JSON object per line (<c>{"event": ...}</c>). Lines are
/// kept for waiting and for the failure message; stderr is kept for the failure message only.
/// </summary>
internal sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly object _gate = new();
    private readonly List<JsonElement> _events = [];
    private readonly StringBuilder _log = new();
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private NodeProcess(Process process)
    {
        _process = process;
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>A Bolt peer: <paramref name="script"/> in tests/interop/bolt.</summary>
    public static Task<NodeProcess> StartAsync(string script, object spec) => StartAsync(BoltInterop.Interop, script, spec);

    /// <summary><paramref name="script"/> of <paramref name="interop"/>'s directory, with <paramref name="spec"/> as its JSON argument.</summary>
    public static async Task<NodeProcess> StartAsync(NodeInterop interop, string script, object spec)
    {
        await interop.EnsureInstalledAsync();
        var argument = JsonSerializer.Serialize(spec);
        var process = new Process { StartInfo = interop.Node(script, argument), EnableRaisingEvents = true };
        var node = new NodeProcess(process);
        process.OutputDataReceived += (_, line) => node.OnStdout(line.Data);
        process.ErrorDataReceived += (_, line) => node.OnStderr(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        lock (node._gate)
        {
            node._log.AppendLine($"$ node {script} {argument}");
        }

        return node;
    }

    public int Count(string eventName)
    {
        lock (_gate)
        {
            return _events.Count(e => Event(e) == eventName);
        }
    }

    public IReadOnlyList<JsonElement> Events(string eventName)
    {
        lock (_gate)
        {
            return [.. _events.Where(e => Event(e) == eventName)];
        }
    }

    /// <summary>The first event called <paramref name="eventName"/>; fails (with the peer's output) on timeout or exit.</summary>
    public async Task<JsonElement> WaitForAsync(string eventName, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (HasEvent(eventName) is { } found)
            {
                return found;
            }

            if (_stdoutClosed.Task.IsCompleted && HasEvent(eventName) is null)
            {
                // It exited and every line it wrote has been read: the event will never come.
                Assert.Fail($"the peer exited (code {_process.ExitCode}) without a \"{eventName}\" event\n{Describe()}");
            }

            if (clock.Elapsed > timeout)
            {
                Assert.Fail($"no \"{eventName}\" event within {timeout.TotalSeconds:0.#}s\n{Describe()}");
            }

            await Task.Delay(20);
        }
    }

    private JsonElement? HasEvent(string eventName)
    {
        lock (_gate)
        {
            foreach (var e in _events)
            {
                if (Event(e) == eventName)
                {
                    return e;
                }
            }
        }

        return null;
    }

    /// <summary>Waits until at least <paramref name="count"/> events called <paramref name="eventName"/> arrived.</summary>
    public async Task WaitForCountAsync(string eventName, int count, TimeSpan timeout)
    {
        if (!await Progress.WaitUntilAsync(() => Count(eventName) >= count, timeout))
        {
            Assert.Fail($"{Count(eventName)} \"{eventName}\" events within {timeout.TotalSeconds:0.#}s, expected {count}\n{Describe()}");
        }
    }

    /// <summary>SIGKILL: the peer dies at once, without closing its connections politely.</summary>
    public void KillHard() => _process.Kill(entireProcessTree: true);

    public string Describe()
    {
        lock (_gate)
        {
            var text = _log.ToString();
            return text.Length > 20_000 ? text[..20_000] + "\n..." : text;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Libc.Kill(_process.Id, Libc.SigTerm);
            try
            {
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (TimeoutException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
    }

    private static string? Event(JsonElement e) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty("event", out var name) ? name.GetString() : null;

    private void OnStdout(string? line)
    {
        if (line is null)
        {
            _stdoutClosed.TrySetResult();
            return;
        }

        lock (_gate)
        {
            _log.AppendLine(line.Length > 2000 ? line[..2000] + "..." : line);
            if (line.StartsWith('{'))
            {
                try
                {
                    _events.Add(JsonDocument.Parse(line).RootElement.Clone());
                }
                catch (JsonException)
                {
                    // Not one of ours (a library's own output): kept in the log only.
                }
            }
        }
    }

    private void OnStderr(string? line)
    {
        if (line is not null)
        {
            lock (_gate)
            {
                _log.AppendLine("stderr: " + line);
            }
        }
    }
}
