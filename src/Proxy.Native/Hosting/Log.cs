using System.Globalization;
using System.Text;
using MeshEdge.Config.Model;

namespace MeshEdge.Native.Hosting;

/// <summary>
/// Structured log lines (logfmt) on stderr: <c>ts=... level=info msg="..." key=value</c>. Logging
/// is for events, not for the data path: callers on a worker log errors and state changes only.
/// </summary>
internal static class Log
{
    private static readonly Lock Gate = new();
    private static readonly TextWriter Output = CreateOutput();

    public static LogLevel Level { get; set; } = LogLevel.Info;

    public static bool IsEnabled(LogLevel level) => level >= Level;

    /// <summary>
    /// Data-path callers test this before <see cref="Debug"/>: building the fields (an array and
    /// boxed numbers) would allocate on every failed connect even with debug logging off.
    /// </summary>
    public static bool DebugEnabled => Level <= LogLevel.Debug;

    public static void Debug(string message, params (string Key, object? Value)[] fields) => Write(LogLevel.Debug, message, fields);

    public static void Info(string message, params (string Key, object? Value)[] fields) => Write(LogLevel.Info, message, fields);

    public static void Warn(string message, params (string Key, object? Value)[] fields) => Write(LogLevel.Warn, message, fields);

    public static void Error(string message, params (string Key, object? Value)[] fields) => Write(LogLevel.Error, message, fields);

    public static void Write(LogLevel level, string message, (string Key, object? Value)[] fields)
    {
        if (!IsEnabled(level))
        {
            return;
        }

        var line = new StringBuilder(128);
        line.Append("ts=").Append(DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        line.Append(" level=").Append(Name(level));
        line.Append(" msg=");
        AppendValue(line, message);
        foreach (var (key, value) in fields)
        {
            line.Append(' ').Append(key).Append('=');
            AppendValue(line, Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty);
        }

        lock (Gate)
        {
            Output.WriteLine(line.ToString());
        }
    }

    public static string Name(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Info => "info",
        LogLevel.Warn => "warn",
        _ => "error",
    };

    private static void AppendValue(StringBuilder line, string value)
    {
        var needsQuotes = value.Length == 0 || value.AsSpan().IndexOfAny(" =\"\\\t\n") >= 0;
        if (!needsQuotes)
        {
            line.Append(value);
            return;
        }

        line.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                    line.Append("\\\"");
                    break;
                case '\\':
                    line.Append("\\\\");
                    break;
                case '\n':
                    line.Append("\\n");
                    break;
                default:
                    line.Append(c);
                    break;
            }
        }

        line.Append('"');
    }

    private static TextWriter CreateOutput()
    {
        var writer = new StreamWriter(Console.OpenStandardError(), new UTF8Encoding(false)) { AutoFlush = true };
        return writer;
    }
}
