using System.Collections.Concurrent;
using MeshEdge.Interop;
using MeshEdge.Native.Hosting;
using MeshEdge.Native.Network;
using MeshEdge.Native.Network.Interop;

namespace MeshEdge.Native.Runtime;

/// <summary>
/// The only way in from other threads: a command queue plus an eventfd in the epoll set. Commands
/// run between events, never in the middle of one, so they need no locks with the data path.
/// </summary>
internal sealed unsafe partial class Worker
{
    private readonly ConcurrentQueue<Action<Worker>> _commands = new();
    private readonly List<ListenerSocket> _listeners = [];
    private readonly int _wakeFd;
    private volatile bool _stopRequested;
    private bool _draining;

    /// <summary>Set once the worker stops accepting; nothing new should be kept for reuse.</summary>
    public bool IsDraining => _draining;

    /// <summary>
    /// Set (on this worker's thread, just before its drain) when a successor adopts live connections:
    /// sessions that can move hand their connection here instead of closing it.
    /// </summary>
    public MigrationOutbox? Migration { get; set; }
    private TimerEntry? _drainTimer;

    /// <summary>Runs <paramref name="command"/> on this worker's thread between events.</summary>
    public void Post(Action<Worker> command)
    {
        _commands.Enqueue(command);
        ulong one = 1;
        Libc.Write(_wakeFd, (byte*)&one, sizeof(ulong));
        WakeIfResting();
    }

    /// <summary>Starts accepting on this worker's own listening socket (one per listener with SO_REUSEPORT).</summary>
    public void AddListener(ListenerSocket listener)
    {
        _listeners.Add(listener);
        listener.Attach(this);
    }

    /// <summary>
    /// Closes the listening sockets and exits once the last connection is gone, or when
    /// <paramref name="timeoutMs"/> passes, whichever comes first (the drain timer closes the rest).
    /// </summary>
    public void BeginDrain(long timeoutMs)
    {
        StopAccepting();
        _drainTimer ??= new TimerEntry(new DrainDeadline(this), 0);
        Timers.Arm(_drainTimer, NowMs, timeoutMs);

        // Protocol sessions that can end gracefully (HTTP keep-alive) are told; raw TCP ones run on.
        foreach (var handler in _handlers.ToArray())
        {
            if (handler is Connection { Handler: IDrainable drainable } connection)
            {
                drainable.OnDrain(connection);
            }
        }
    }

    private void StopAccepting()
    {
        foreach (var listener in _listeners)
        {
            listener.Close();
        }

        _listeners.Clear();
        _draining = true;
    }

    /// <summary>Closes every connection at once (the drain deadline passed) and stops the loop.</summary>
    public void Abort()
    {
        StopAccepting();
        foreach (var handler in _handlers)
        {
            if (handler is Connection connection)
            {
                connection.Close(CloseMode.Abort);
            }
        }

        _stopRequested = true;
    }

    private void RunCommands()
    {
        // Each command is guarded on its own: the eventfd has been read already, so one that threw
        // out of this loop would leave the rest queued until some later Post woke the worker.
        while (_commands.TryDequeue(out var command))
        {
            try
            {
                command(this);
            }
            catch (Exception ex)
            {
                Log.Error("worker fault", ("worker", Id), ("handler", "command"), ("error", ex.Message));
            }
        }
    }

    private sealed class DrainDeadline(Worker worker) : ITimerHandler
    {
        public void OnTimer(TimerEntry timer)
        {
            if (worker.ConnectionCount > 0)
            {
                Log.Info("drain deadline passed, closing connections", ("worker", worker.Id), ("connections", worker.ConnectionCount));
            }

            worker.Abort();
        }
    }

    /// <summary>The eventfd's handler: reset the counter, then run what was posted.</summary>
    private sealed class WakeHandler(Worker worker) : IEpollHandler
    {
        public void OnEpollEvents(uint events)
        {
            ulong value;
            while (Libc.Read(worker._wakeFd, (byte*)&value, sizeof(ulong)) > 0)
            {
            }

            worker.RunCommands();
        }
    }
}
