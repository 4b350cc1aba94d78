using System.Diagnostics;
using MeshEdge.Upgrade.Handoff;

namespace MeshEdge.Native.Hosting;

/// <summary>
/// The running process's side of the hot upgrade, on a thread of its own ("meshedge-handoff"): it
/// starts a successor on SIGHUP, serves hand-off connections one at a time (a second successor
/// waits in the socket's backlog), and on the successor's Ready stops accepting on the hand-off
/// socket and tells the host to drain. Any failure before Ready is logged as "upgrade failed" and
/// this process keeps serving. It never touches a worker: the host's callbacks do that.
/// </summary>
internal sealed class UpgradeServer
{
    private static readonly TimeSpan SessionTimeout = TimeSpan.FromSeconds(60);
    private const int PollMs = 100;

    private readonly HandoffListener _listener;
    private readonly Func<IReadOnlyList<ListenerHandoff>> _offer;
    private readonly string[] _arguments;
    private readonly Func<int> _countConnections;
    private readonly Action _onHandedOver;
    private readonly Thread _thread;
    private volatile bool _stopping;
    private volatile FdChannel? _active;
    private int _upgrading;
    private Process? _successor;
    private volatile MigrationOutbox? _migration;

    /// <param name="offer">The listening sockets to offer, read at each hand-off (live config changes add and remove listeners).</param>
    /// <param name="countConnections">Connections left to drain, read once when the successor is ready.</param>
    /// <param name="onHandedOver">Called on this thread once the successor serves; the host then drains.</param>
    public UpgradeServer(HandoffListener listener, Func<IReadOnlyList<ListenerHandoff>> offer, string[] arguments, Func<int> countConnections, Action onHandedOver)
    {
        _listener = listener;
        _offer = offer;
        _arguments = arguments;
        _countConnections = countConnections;
        _onHandedOver = onHandedOver;
        _thread = new Thread(Run) { Name = "meshedge-handoff", IsBackground = true };
    }

    public bool HandedOver { get; private set; }

    /// <summary>
    /// Set at hand-over when the successor takes live connections: the workers put their detached
    /// connections here while they drain, and this thread sends them on.
    /// </summary>
    public MigrationOutbox? Migration => _migration;

    /// <summary>
    /// While not set, no new upgrade starts: this process is still adopting connections from its own
    /// predecessor, and a drain now would strand them. Null: nothing to wait for.
    /// </summary>
    public ManualResetEventSlim? NotBefore { get; init; }

    public void Start() => _thread.Start();

    /// <summary>SIGHUP: start a successor, unless an upgrade is already under way.</summary>
    public void RequestUpgrade()
    {
        if (HandedOver || _stopping)
        {
            Log.Warn("SIGHUP ignored: this process has handed over and is draining");
            return;
        }

        if (Interlocked.CompareExchange(ref _upgrading, 1, 0) != 0)
        {
            Log.Warn("SIGHUP ignored: an upgrade is already in progress");
            return;
        }

        Log.Info("upgrade requested", ("signal", "SIGHUP"), ("socket", _listener.Path));
    }

    /// <summary>
    /// Stops serving hand-offs (a session under way fails) and waits for the thread. After a
    /// hand-over it ends the migration instead: connections still queued are sent, then MigrationDone.
    /// </summary>
    public void Stop()
    {
        _stopping = true;
        if (_migration is { } migration)
        {
            migration.Close();
        }
        else
        {
            _active?.Shutdown();
        }

        _thread.Join();
    }

    private void Run()
    {
        while (!_stopping && !HandedOver)
        {
            if (NotBefore is { IsSet: false } notBefore)
            {
                notBefore.Wait(PollMs);
                continue;
            }

            if (Volatile.Read(ref _upgrading) == 1 && _successor is null)
            {
                StartSuccessor();
            }

            using (var channel = _listener.TryAccept(PollMs))
            {
                if (channel is not null)
                {
                    Serve(channel);
                    continue;
                }
            }

            if (_successor is { HasExited: true } exited)
            {
                Log.Error("upgrade failed", ("reason", "the successor exited before taking over"), ("successor_pid", exited.Id), ("exit_code", exited.ExitCode));
                ForgetSuccessor();
            }
        }

        if (HandedOver)
        {
            _listener.Release();
        }
        else
        {
            _listener.Dispose();
        }

        _successor?.Dispose();
    }

    private void StartSuccessor()
    {
        try
        {
            _successor = SuccessorLauncher.Start(_arguments, _listener.Path);
            Log.Info("upgrade: successor started", ("successor_pid", _successor.Id));
        }
        catch (Exception ex)
        {
            Log.Error("upgrade failed", ("reason", $"cannot start the successor: {ex.Message}"));
            Volatile.Write(ref _upgrading, 0);
        }
    }

    private void Serve(FdChannel channel)
    {
        // A successor started by hand counts as an upgrade in progress too: SIGHUP waits it out.
        var startedHere = Interlocked.CompareExchange(ref _upgrading, 1, 0) == 0;
        var timings = new UpgradeTimings();
        var session = new PredecessorSession(channel);
        channel.SetReceiveTimeout(SessionTimeout);
        _active = channel;
        try
        {
            session.ReceiveHello();
            Log.Info("upgrade: successor connected", ("successor_pid", session.SuccessorPid), ("protocol", session.Version));
            timings.Lap();
            session.SendListeners(_offer(), _listener, Environment.ProcessId, Tls.TicketKeys.Encode());
            var transferMs = timings.Lap();
            var adoptable = session.ReceiveReady();
            var readyMs = timings.Lap();

            // From here the successor serves: stop accepting hand-offs (the socket is its now).
            _listener.Release();
            var connections = _countConnections();
            session.SendDraining(connections);
            var migration = session.CanMigrate && adoptable.Count > 0 ? new MigrationOutbox(adoptable) : null;
            _migration = migration;
            if (_stopping)
            {
                // Stop ran before the outbox existed; it must not wait on a migration nobody ends.
                migration?.Close();
            }

            HandedOver = true;
            Log.Info("upgrade: handed over",
                ("pid", Environment.ProcessId),
                ("successor_pid", session.SuccessorPid),
                ("listeners", _offer().Count),
                ("sockets", _offer().Sum(listener => listener.Fds.Length)),
                ("connections", connections),
                ("fd_transfer_ms", transferMs),
                ("successor_ready_ms", readyMs),
                ("migrating_listeners", adoptable.Count));
            _onHandedOver();
            if (migration is not null)
            {
                new MigrationPump(session, migration).Run();
            }
        }
        catch (HandoffException ex)
        {
            var reason = _stopping ? "this process is stopping" : ex.Message;
            session.SendError(reason);
            ReportFailure(reason, session.SuccessorPid);
            if (startedHere)
            {
                Volatile.Write(ref _upgrading, 0);
            }
        }
        finally
        {
            _active = null;
        }
    }

    /// <summary>
    /// One "upgrade failed" line per attempt: if the successor we started is the one that failed
    /// (or said nothing of itself), its exit code goes into the same line.
    /// </summary>
    private void ReportFailure(string reason, int successorPid)
    {
        var successor = _successor;
        if (successor is not null && (successorPid == 0 || successorPid == successor.Id))
        {
            var exited = successor.WaitForExit(TimeSpan.FromSeconds(5));
            Log.Error("upgrade failed", ("reason", reason), ("successor_pid", successor.Id), ("exit_code", exited ? successor.ExitCode : null));
            ForgetSuccessor();
            return;
        }

        Log.Error("upgrade failed", ("reason", reason), ("successor_pid", successorPid == 0 ? null : successorPid));
    }

    private void ForgetSuccessor()
    {
        _successor?.Dispose();
        _successor = null;
        Volatile.Write(ref _upgrading, 0);
    }
}
