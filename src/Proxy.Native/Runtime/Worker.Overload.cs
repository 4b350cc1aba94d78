using MeshEdge.Config.Model;
using MeshEdge.Native.Hosting;
using MeshEdge.Native.Network;

namespace MeshEdge.Native.Runtime;

/// <summary>What the overload stages (<see cref="Runtime.OverloadStages"/>) do to this worker's connections and listeners.</summary>
internal sealed partial class Worker
{
    private OverloadStages? _overloadStages;

    /// <summary>The staged overload actions below the reject stage.</summary>
    public OverloadStages OverloadStages => _overloadStages ??= new OverloadStages(this);

    /// <summary>Set while disable_keepalive is in effect: new HTTP requests are answered with connection: close.</summary>
    public bool KeepAliveDisabled { get; set; }

    /// <summary>Sets this worker's share of the memory budget and every stage's threshold (before the worker runs).</summary>
    public void ConfigureOverload(long share, OverloadThresholds thresholds)
    {
        Overload.Share = share;
        Overload.RejectAt = OverloadStages.ThresholdOf(share, thresholds.RejectRequests);
        OverloadStages.Configure(share, thresholds);
    }

    /// <summary>Adds every open connection of this worker, downstream and upstream, to <paramref name="into"/>.</summary>
    public void CollectConnections(List<Connection> into)
    {
        foreach (var handler in _handlers)
        {
            if (handler is Connection { State: ConnectionState.Open } connection)
            {
                into.Add(connection);
            }
        }
    }

    /// <summary>
    /// Tells every downstream HTTP session to end keep-alive, as a drain does: an idle one closes after a
    /// short grace (a request already on its way is still answered), a busy one closes after its
    /// response. Returns how many were told.
    /// </summary>
    public int EndHttpKeepAlive()
    {
        var told = 0;
        foreach (var handler in _handlers.ToArray())
        {
            if (handler is Connection { State: ConnectionState.Open, Handler: Http.Http1DownstreamConnection session } connection)
            {
                session.OnDrain(connection);
                told++;
            }
        }

        return told;
    }

    /// <summary>Pauses (or resumes) accepting on this worker's listening sockets, the admin API's apart; returns how many changed.</summary>
    public int HoldListeners(bool hold)
    {
        var changed = 0;
        foreach (var listener in _listeners)
        {
            if (listener.Listener.Name != ProxyHost.AdminListenerName)
            {
                listener.HoldAccepting(hold);
                changed++;
            }
        }

        return changed;
    }
}
