using System.Runtime.CompilerServices;
using MeshEdge.Codecs.Detection;
using MeshEdge.Native.Hosting;
using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.Network;

/// <summary>
/// The filter of a protocol = "auto" listener: peeks at a connection's first bytes until they tell
/// its protocol, then starts the chosen factory's session on it with every byte still in the socket.
/// </summary>
internal sealed class ProtocolDetector(Worker worker, ListenerRuntime listener, DetectingSessionFactory factory, int fd, ulong clientHash)
    : PeekingFilter(worker, listener, fd, clientHash)
{
    private Prefix _prefix;

    protected override Span<byte> PeekBuffer => _prefix;

    public void Start() => Start((long)Listener.Config.DetectionTimeout.TotalMilliseconds);

    protected override void OnPeeked(ReadOnlySpan<byte> prefix, bool peerClosed)
    {
        var detected = ProtocolSniffer.Sniff(prefix);
        if (prefix.IsEmpty || peerClosed && detected == DetectedProtocol.NeedMoreData)
        {
            // The client closed before saying enough: nothing can be served.
            Close("closed before the protocol was known");
            return;
        }

        if (detected != DetectedProtocol.NeedMoreData)
        {
            HandOver(detected);
        }
    }

    // Silent clients (server-speaks-first protocols) are what a TCP fallback is for.
    protected override void OnTimeout() => HandOver(DetectedProtocol.Unknown);

    protected override void OnReadError() => Close("read error");

    private void HandOver(DetectedProtocol protocol)
    {
        var target = factory.For(protocol);
        if (target is null)
        {
            Close($"no session for protocol {protocol}");
            return;
        }

        var fd = Detach();
        if (Log.DebugEnabled)
        {
            Log.Debug("protocol detected", ("listener", Listener.Name), ("protocol", protocol));
        }

        target.Start(Worker, Listener, fd, ClientHash);
    }

    private void Close(string reason)
    {
        Worker.Stats.Listeners[Listener.Index].DetectionFailures++;
        if (Log.DebugEnabled)
        {
            Log.Debug("protocol detection failed", ("listener", Listener.Name), ("reason", reason));
        }

        CloseSocket();
    }

    /// <summary>Enough for every signature the sniffer knows (the HTTP/2 preface is the longest at 24).</summary>
    [InlineArray(64)]
    private struct Prefix
    {
        private byte _first;
    }
}
