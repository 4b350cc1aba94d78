using MeshEdge.Native.Network;
using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.Rpc;

/// <summary>
/// Request timeouts, one timer per session rather than one per request: a request only notes its
/// deadline, and the session's timer is armed for the earliest deadline it knows of. Arming and
/// cancelling a wheel entry per call (linking it into a slot and out again) cost more than the rest of
/// a call's bookkeeping together; now a call arms nothing unless its deadline is the session's
/// earliest. When the timer fires it fails the requests whose deadline has passed and is armed again
/// for the earliest left. An answered request leaves the timer as it is: it may fire for nothing
/// (once, at a deadline whose request is gone), which costs a walk of the session's open requests.
/// </summary>
internal sealed partial class RpcDownstreamSession<TCodec> : ITimerHandler
{
    private TimerEntry? _timeoutTimer;

    /// <summary>The deadline the timer is armed for; <see cref="long.MaxValue"/> when it is not armed.</summary>
    private long _timerDeadlineMs = long.MaxValue;

    /// <summary>Gives <paramref name="request"/> its deadline, <paramref name="timeoutMs"/> from now, and brings the timer forward to it if it is the earliest.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private void StartTimeout(RpcRequest<TCodec> request, int timeoutMs)
    {
        var now = _context.Worker.NowMs;
        var deadline = now + timeoutMs;
        request.DeadlineMs = deadline;
        if (deadline < _timerDeadlineMs)
        {
            ArmTimeoutTimer(now, deadline);
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void ArmTimeoutTimer(long now, long deadline)
    {
        _timeoutTimer ??= new TimerEntry(this, 0);
        _timerDeadlineMs = deadline;
        _context.Worker.Timers.Arm(_timeoutTimer, now, deadline - now);
    }

    /// <summary>The session ends (closed or moved): its timer must not fire on it.</summary>
    private void StopTimeouts()
    {
        if (_timeoutTimer is not null)
        {
            _context.Worker.Timers.Cancel(_timeoutTimer);
        }

        _timerDeadlineMs = long.MaxValue;
    }

    public void OnTimer(TimerEntry timer)
    {
        _timerDeadlineMs = long.MaxValue;
        var now = _context.Worker.NowMs;
        var earliest = long.MaxValue;
        var records = _context.Records;
        for (var index = _firstRequest; index >= 0 && !_finished;)
        {
            // Failing a request unlinks only that one; the session may close meanwhile (its last
            // request while it waited to close), which ends the walk.
            var request = records[index];
            var next = request.SessionNext;
            var deadline = request.DeadlineMs;
            if (deadline != 0 && deadline <= now)
            {
                _context.OnRequestTimeout(request);
            }
            else if (deadline != 0 && deadline < earliest)
            {
                earliest = deadline;
            }

            index = next;
        }

        if (!_finished && earliest != long.MaxValue && earliest < _timerDeadlineMs)
        {
            ArmTimeoutTimer(now, earliest);
        }
    }

    /// <summary>A bug in the timeout walk: end the connection, as the event loop does for a handler that throws.</summary>
    public void OnTimerFault()
    {
        if (!_finished)
        {
            _downstream.Close(CloseMode.Abort);
        }
    }
}
