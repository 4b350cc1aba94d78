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

    private Takeover(FdChannel channel, HandoffOffer offer, UpgradeTimings timings, double connectMs, double transferMs)
    {
        _channel = channel;
        _session = new SuccessorSession(channel);
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
            return new Takeover(channel, offer, timings, connectMs, timings.Lap());
        }
        catch
        {
            channel.Dispose();
            throw;
        }
    }

    /// <summary>Serving now: tell the old process to drain; returns how many connections it has left.</summary>
    public int Complete()
    {
        _session.SendReady();
        return _session.ReceiveDraining();
    }

    public void Fail(string reason) => _session.SendError(reason);

    public void Dispose() => _channel.Dispose();
}
