using MeshEdge.Config.AccessLog;
using MeshEdge.Config.Model;

namespace MeshEdge.Native.AccessLogs;

/// <summary>
/// One access log destination shared by the workers: stdout, stderr or a file opened for append.
/// Workers hand it whole batches of lines (see <see cref="AccessLogBuffer"/>), so the lock is taken
/// once per batch: half a second after a batch's first line, or sooner once 32 KiB have gathered;
/// never per request.
/// </summary>
internal sealed class AccessLogSink : IDisposable
{
    private readonly Stream _stream;
    private readonly Lock _lock = new();

    private AccessLogSink(Stream stream, AccessLogFormat format)
    {
        _stream = stream;
        Format = format;
    }

    public AccessLogFormat Format { get; }

    /// <summary>Opens the destination; an unusable file is reported in <paramref name="error"/>.</summary>
    public static AccessLogSink? Open(AccessLogConfig config, AccessLogDialect dialect, out string? error)
    {
        error = null;
        var format = AccessLogFormat.Parse(config.Format, dialect, out _);
        try
        {
            Stream stream = config.Path switch
            {
                "stdout" => Console.OpenStandardOutput(),
                "stderr" => Console.OpenStandardError(),
                _ => new FileStream(config.Path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete),
            };
            return new AccessLogSink(stream, format);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error = ex.Message;
            return null;
        }
    }

    public void Write(ReadOnlySpan<byte> lines)
    {
        lock (_lock)
        {
            try
            {
                _stream.Write(lines);
                _stream.Flush();
            }
            catch (IOException)
            {
                // A full disk or a closed stdout must not take the proxy down; the lines are lost.
            }
        }
    }

    public void Dispose() => _stream.Dispose();
}
