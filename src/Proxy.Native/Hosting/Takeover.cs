using MeshEdge.Interop;
using MeshEdge.Upgrade.Handoff;
using static MeshEdge.Interop.LinuxConstants;

namespace MeshEdge.Native.Hosting;

/// <summary>
/// The successor's side of the hot upgrade, on the main thread: connect to the running process,
/// receive its sockets, and once this process serves, tell it to drain. Failures before that are
/// <see cref="HandoffException"/>s; the running process is told why and keeps serving.
/// </summary>
internal sealed class Takeover : IDisposable
{
    private static readonly TimeSpan ReceiveTimeout = TimeSpan.FromSeconds(30);

    private readonly FdChannel _channel;
    private readonly SuccessorSession _session;
    private int _disposed;

    private Takeover(FdChannel channel, SuccessorSession session, HandoffOffer offer, UpgradeTimings timings, double connectMs, double transferMs)
    {
        _channel = channel;
        _session = session;
        Offer = offer;
        Timings = timings;
        ConnectMs = connectMs;
        TransferMs = transferMs;
    }

    public HandoffOffer Offer { get; }

    public UpgradeTimings Timings { get; }

    public double ConnectMs { get; }

    public double TransferMs { get; }

    /// <summary>
    /// Connects to <paramref name="path"/> and receives the offer. Null when nobody listens there
    /// and <paramref name="required"/> is false (a hand-started --upgrade with nothing to take over).
    /// </summary>
    public static Takeover? Begin(string path, bool required)
    {
        var timings = new UpgradeTimings();
        var channel = FdChannel.TryConnect(path, out var errno);
        if (channel is null)
        {
            if (!required && errno is ENOENT or ECONNREFUSED)
            {
                return null;
            }

            throw new HandoffException($"cannot connect to the running process at {path}: {Libc.Describe(errno)}");
        }

        try
        {
            channel.SetReceiveTimeout(ReceiveTimeout);
            var connectMs = timings.Lap();
            var session = new SuccessorSession(channel);
            session.SendHello(Environment.ProcessId);
            var offer = session.ReceiveOffer();
            return new Takeover(channel, session, offer, timings, connectMs, timings.Lap());
        }
        catch
        {
            channel.Dispose();
            throw;
        }
    }

    /// <summary>The hand-off session, for the migration of live connections that follows <see cref="Complete"/>.</summary>
    public SuccessorSession Session => _session;

    /// <summary>
    /// Serving now: tell the old process to drain (naming the listeners that take its live
    /// connections); returns how many connections it has left.
    /// </summary>
    public int Complete(IReadOnlyList<AdoptableListener> adoptable)
    {
        _session.SendReady(adoptable);
        return _session.ReceiveDraining();
    }

    /// <summary>The migration may wait for slow requests in the old process as long as its drain lasts.</summary>
    public void AllowSilence(TimeSpan timeout) => _channel.SetReceiveTimeout(timeout);

    public void Fail(string reason) => _session.SendError(reason);

    /// <summary>Both the main thread (at exit) and the adopter (when the migration ends) may call it.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _channel.Dispose();
        }
    }
}
