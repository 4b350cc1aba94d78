using System.Diagnostics;
using System.Net;
using System.Text;

namespace MeshEdge.Functional.Tests.Harness;

/// <summary>The proxy's output: collected thread-safely, searched by message, dumped into failures.</summary>
internal sealed partial class ProxyProcess
{
    private const int MaxLinesInFailure = 400;

    private readonly object _linesGate = new();
    private readonly List<LogLine> _stderr = [];
    private readonly List<string> _stdout = [];

    public IReadOnlyList<LogLine> StderrLines
    {
        get
        {
            lock (_linesGate)
            {
                return [.. _stderr];
            }
        }
    }

    public IReadOnlyList<string> StdoutLines
    {
        get
        {
            lock (_linesGate)
            {
                return [.. _stdout];
            }
        }
    }

    /// <summary>The first stderr line with <c>msg="<paramref name="message"/>"</c> that matches <paramref name="where"/>.</summary>
    public LogLine? FindLog(string message, Func<LogLine, bool>? where = null)
    {
        lock (_linesGate)
        {
            return _stderr.FirstOrDefault(line => line.Message == message && (where is null || where(line)));
        }
    }

    /// <summary>Waits for a log line; fails with the whole output if it times out or the process exits first.</summary>
    public async Task<LogLine> WaitForLogAsync(string message, TimeSpan timeout, Func<LogLine, bool>? where = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (FindLog(message, where) is { } found)
            {
                return found;
            }

            if (_process.HasExited)
            {
                // Lines may still be in the pipe when the exit is noticed.
                await _stderrClosed.Task.WaitAsync(TimeSpan.FromSeconds(10));
                return FindLog(message, where)
                    ?? throw new Xunit.Sdk.XunitException(
                        $"meshedge exited with code {_process.ExitCode} before logging msg=\"{message}\"\n{Describe()}");
            }

            if (clock.Elapsed > timeout)
            {
                throw new Xunit.Sdk.XunitException(
                    $"meshedge did not log msg=\"{message}\" within {timeout.TotalSeconds:0.#}s\n{Describe()}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>The bound address of a listener, with the real port, from its "listener started" line.</summary>
    public IPEndPoint ListenerAddress(string listener = "inbound")
    {
        var line = FindLog("listener started", line => line.Get("listener") == listener)
            ?? throw new Xunit.Sdk.XunitException($"no \"listener started\" line for listener={listener}\n{Describe()}");
        return IPEndPoint.Parse(line.Require("address"));
    }

    /// <summary>The exit-time <c>msg="listener stats"</c> line of a listener.</summary>
    public LogLine ListenerStats(string listener = "inbound") =>
        FindLog("listener stats", line => line.Get("listener") == listener)
        ?? throw new Xunit.Sdk.XunitException($"no \"listener stats\" line for listener={listener}\n{Describe()}");

    /// <summary>The exit-time <c>msg="http listener stats"</c> line of an HTTP listener.</summary>
    public LogLine HttpListenerStats(string listener = "inbound") =>
        FindLog("http listener stats", line => line.Get("listener") == listener)
        ?? throw new Xunit.Sdk.XunitException($"no \"http listener stats\" line for listener={listener}\n{Describe()}");

    /// <summary>The exit-time <c>msg="cluster stats"</c> line of a cluster.</summary>
    public LogLine ClusterStats(string cluster = "app") =>
        FindLog("cluster stats", line => line.Get("cluster") == cluster)
        ?? throw new Xunit.Sdk.XunitException($"no \"cluster stats\" line for cluster={cluster}\n{Describe()}");

    /// <summary>The exit line <c>msg="rpc listener stats"</c> of an RPC listener.</summary>
    public LogLine RpcListenerStats(string listener = "inbound") =>
        FindLog("rpc listener stats", line => line.Get("listener") == listener)
        ?? throw new Xunit.Sdk.XunitException($"no rpc listener stats for {listener}\n{Describe()}");

    /// <summary>The exit line <c>msg="rpc cluster stats"</c> of a cluster RPC requests were sent to.</summary>
    public LogLine RpcClusterStats(string cluster) =>
        FindLog("rpc cluster stats", line => line.Get("cluster") == cluster)
        ?? throw new Xunit.Sdk.XunitException($"no rpc cluster stats for {cluster}\n{Describe()}");

    /// <summary>The command line and everything the process printed, for failure messages.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.AppendLine($"--- {_commandLine} (pid {SafePid()}) ---");
        lock (_linesGate)
        {
            AppendTail(text, "stderr", _stderr.Select(line => line.Raw).ToList());
            AppendTail(text, "stdout", _stdout);
        }

        return text.ToString();
    }

    private static void AppendTail(StringBuilder text, string name, List<string> lines)
    {
        text.AppendLine($"--- {name}: {lines.Count} lines ---");
        if (lines.Count > MaxLinesInFailure)
        {
            text.AppendLine($"... {lines.Count - MaxLinesInFailure} earlier lines omitted ...");
        }

        foreach (var line in lines.Skip(Math.Max(0, lines.Count - MaxLinesInFailure)))
        {
            text.AppendLine(line);
        }
    }

    private string SafePid()
    {
        try
        {
            return Pid.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (InvalidOperationException)
        {
            return "?";
        }
    }

    private void OnStderrLine(string? line)
    {
        if (line is null)
        {
            _stderrClosed.TrySetResult();
            return;
        }

        var parsed = LogLine.Parse(line);
        lock (_linesGate)
        {
            _stderr.Add(parsed);
        }
    }

    private void OnStdoutLine(string? line)
    {
        if (line is null)
        {
            _stdoutClosed.TrySetResult();
            return;
        }

        lock (_linesGate)
        {
            _stdout.Add(line);
        }
    }
}
