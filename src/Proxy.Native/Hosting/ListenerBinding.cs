using System.Net;
using MeshEdge.Interop;
using MeshEdge.Native.Network;
using MeshEdge.Native.Runtime;
using MeshEdge.Upgrade.Handoff;

namespace MeshEdge.Native.Hosting;

/// <summary>
/// Opens every listener's sockets, one or more per worker, before any worker starts: fresh binds, or
/// the sockets a predecessor handed over. Also remembers them as a hand-off offer, so a successor
/// can take them over in turn.
/// </summary>
internal sealed class ListenerBinding
{
    private readonly List<(ListenerSocket Socket, int Worker)> _assignments = [];

    private ListenerBinding(int listenerCount)
    {
        Addresses = new IPEndPoint[listenerCount];
    }

    /// <summary>Each listener's bound address, with the real port.</summary>
    public IPEndPoint[] Addresses { get; }

    /// <summary>Every listening socket by listener name and configured address, for a successor.</summary>
    public List<ListenerHandoff> Offer { get; } = [];

    /// <summary>How many sockets were taken over from a predecessor.</summary>
    public int AdoptedSockets { get; private set; }

    /// <summary>
    /// Opens the listeners. <paramref name="inherited"/> holds, per listener, the fds handed over for
    /// it (null: no predecessor). Every worker gets at least one socket per listener; where fewer were
    /// inherited than there are workers, fresh SO_REUSEPORT sockets join the same address. Returns
    /// null after logging why, with everything it opened closed again (inherited fds included: the
    /// predecessor still holds its own copies and keeps serving).
    /// </summary>
    public static ListenerBinding? Open(WorkerSnapshot snapshot, int workerCount, int[][]? inherited)
    {
        var binding = new ListenerBinding(snapshot.Listeners.Length);
        foreach (var listener in snapshot.Listeners)
        {
            var fds = inherited?[listener.Index] ?? [];
            if (!binding.OpenListener(listener, fds, workerCount))
            {
                binding.CloseAll();
                HandoffFrames.CloseAll(inherited?.Skip(listener.Index + 1).SelectMany(f => f) ?? []);
                return null;
            }
        }

        return binding;
    }

    /// <summary>Only now, with every socket open, hand each to its worker's epoll set.</summary>
    public void AttachTo(Worker[] workers)
    {
        foreach (var (socket, worker) in _assignments)
        {
            workers[worker].AddListener(socket);
        }
    }

    private bool OpenListener(ListenerRuntime listener, int[] inherited, int workerCount)
    {
        var address = listener.Config.Address;
        var sockets = new List<int>();
        var plan = SocketDistribution.Plan(inherited.Length, workerCount);
        for (var i = 0; i < inherited.Length; i++)
        {
            var socket = ListenerSocket.Adopt(listener, inherited[i], out var problem);
            if (socket is null)
            {
                Log.Error("cannot take over listener", ("listener", listener.Name), ("error", problem));
                HandoffFrames.CloseAll(inherited.Skip(i));
                return false;
            }

            _assignments.Add((socket, Array.FindIndex(plan, fds => fds.Contains(i))));
            sockets.Add(socket.Fd);
            address = socket.BoundAddress;
            AdoptedSockets++;
        }

        for (var worker = 0; worker < workerCount; worker++)
        {
            if (plan[worker].Length > 0)
            {
                continue;
            }

            // The first fresh bind decides the port (port 0 = ephemeral); the others join it.
            var socket = ListenerSocket.Open(listener, address, out var errno);
            if (socket is null)
            {
                Log.Error("cannot listen", ("listener", listener.Name), ("address", address), ("error", Libc.Describe(errno)));
                return false;
            }

            _assignments.Add((socket, worker));
            sockets.Add(socket.Fd);
            address = socket.BoundAddress;
        }

        Addresses[listener.Index] = address;
        Offer.Add(new ListenerHandoff(listener.Name, listener.Config.Address.ToString(), [.. sockets]));
        return true;
    }

    private void CloseAll()
    {
        foreach (var (socket, _) in _assignments)
        {
            socket.Close();
        }
    }
}
