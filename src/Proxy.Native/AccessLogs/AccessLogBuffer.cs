using System.Buffers;
using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.AccessLogs;

/// <summary>
/// A worker's pending lines for one listener's access log. Lines are formatted into it on the data
/// path and handed to the shared sink when 32 KiB have gathered or half a second after the first
/// unflushed line, as Envoy's access log flush does.
/// </summary>
internal sealed class AccessLogBuffer : ITimerHandler
{
    private const int FlushBytes = 32 * 1024;
    private const long FlushDelayMs = 500;

    private readonly Worker _worker;
    private readonly ArrayBufferWriter<byte> _lines = new(FlushBytes * 2);
    private readonly TimerEntry _timer;

    public AccessLogBuffer(Worker worker, AccessLogSink sink)
    {
        _worker = worker;
        Sink = sink;
        _timer = new TimerEntry(this, 0);
    }

    public AccessLogSink Sink { get; }

    /// <summary>Where a session formats a line; <see cref="LineWritten"/> follows each one.</summary>
    public IBufferWriter<byte> Lines => _lines;

    public void Append(in AccessLogEntry entry)
    {
        AccessLogWriter.Write(_lines, Sink.Format, entry);
        LineWritten();
    }

    /// <summary>A whole line went into <see cref="Lines"/>: flush when enough has gathered, else make sure the timer will.</summary>
    public void LineWritten()
    {
        if (_lines.WrittenCount >= FlushBytes)
        {
            Flush();
        }
        else if (!_timer.IsArmed)
        {
            _worker.Timers.Arm(_timer, _worker.NowMs, FlushDelayMs);
        }
    }

    public void OnTimer(TimerEntry timer) => Flush();

    /// <summary>Hands the pending lines over; also called when the worker stops.</summary>
    public void Flush()
    {
        if (_lines.WrittenCount == 0)
        {
            return;
        }

        Sink.Write(_lines.WrittenSpan);
        _lines.ResetWrittenCount();
    }
}
