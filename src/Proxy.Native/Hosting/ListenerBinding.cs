using System.Collections.Immutable;
using System.Net;
using MeshEdge.Interop;
using MeshEdge.Native.Network;
using MeshEdge.Native.Runtime;
using MeshEdge.Upgrade.Handoff;

namespace MeshEdge.Native.Hosting;

/// <summary>
/// Opens every listener's sockets, one or more per worker, before any worker starts: fresh binds, or
/// the sockets a predecessor handed over. Also remembers them as a hand-off offer, so a successor
/// can take them over in turn. A live config change adds listeners (<see cref="OpenAdded"/>) and
/// removes them (<see cref="Forget"/>); the offer and the addresses are replaced whole, so the
/// hand-off thread and the admin API read them without a lock.
/// </summary>
internal sealed class ListenerBinding
{
    private readonly Lock _lock = new();
    private readonly List<(ListenerSocket Socket, int Worker)> _assignments = [];
    private ImmutableDictionary<int, ListenerHandoff> _offer = ImmutableDictionary<int, ListenerHandoff>.Empty;
    private IPEndPoint?[] _addresses;

    private ListenerBinding(int listenerSlots)
    {
        _addresses = new IPEndPoint?[listenerSlots];
    }

    /// <summary>Each listener's bound address (the real port), by listener id; null for ids not bound (now).</summary>
    public IPEndPoint?[] Addresses => Volatile.Read(ref _addresses);

    /// <summary>Every listening socket by listener name and configured address, for a successor.</summary>
    public IReadOnlyList<ListenerHandoff> Offer => [.. Volatile.Read(ref _offer).OrderBy(e => e.Key).Select(e => e.Value)];

    /// <summary>How many sockets were taken over from a predecessor.</summary>
    public int AdoptedSockets { get; private set; }

    /// <summary>
    /// Opens the listeners. <paramref name="inherited"/> holds, per listener in the snapshot's order,
    /// the fds handed over for it (null: no predecessor). Every worker gets at least one socket per
    /// listener; where fewer were inherited than there are workers, fresh SO_REUSEPORT sockets join the
    /// same address. Returns null after logging why, with everything it opened closed again (inherited
    /// fds included: the predecessor still holds its own copies and keeps serving).
    /// </summary>
    public static ListenerBinding? Open(WorkerSnapshot snapshot, int workerCount, int[][]? inherited)
    {
        var binding = new ListenerBinding(snapshot.ListenerSlots);
        for (var position = 0; position < snapshot.Listeners.Length; position++)
        {
            var fds = inherited?[position] ?? [];
            if (!binding.OpenListener(snapshot.Listeners[position], fds, workerCount, binding._assignments))
            {
                binding.CloseAll(binding._assignments);
                HandoffFrames.CloseAll(inherited?.Skip(position + 1).SelectMany(f => f) ?? []);
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

        _assignments.Clear();
    }

    /// <summary>
    /// Binds the listeners a live change adds (fresh sockets, one per worker). Returns the sockets
    /// per worker, or null with <paramref name="error"/> after closing whatever it opened.
    /// </summary>
    public List<ListenerSocket>[]? OpenAdded(IEnumerable<ListenerRuntime> listeners, int workerCount, int listenerSlots, out string? error)
    {
        var opened = new List<(ListenerSocket Socket, int Worker)>();
        lock (_lock)
        {
            GrowAddresses(listenerSlots);
            foreach (var listener in listeners)
            {
                if (!OpenListener(listener, [], workerCount, opened))
                {
                    CloseAll(opened);
                    foreach (var done in listeners.TakeWhile(l => l != listener))
                    {
                        Unpublish(done.Index);
                    }

                    error = $"listener {listener.Name}: cannot listen on {listener.Config.Address} (see the log)";
                    return null;
                }
            }
        }

        error = null;
        var perWorker = Enumerable.Range(0, workerCount).Select(_ => new List<ListenerSocket>()).ToArray();
        foreach (var (socket, worker) in opened)
        {
            perWorker[worker].Add(socket);
        }

        return perWorker;
    }

    /// <summary>A live change removed the listener: a successor is not offered its sockets (the workers close them).</summary>
    public void Forget(ListenerRuntime listener)
    {
        lock (_lock)
        {
            Unpublish(listener.Index);
        }
    }

    private void Unpublish(int listener)
    {
        Volatile.Write(ref _offer, _offer.Remove(listener));
        var addresses = (IPEndPoint?[])_addresses.Clone();
        addresses[listener] = null;
        Volatile.Write(ref _addresses, addresses);
    }

    private void GrowAddresses(int slots)
    {
        if (_addresses.Length < slots)
        {
            var grown = new IPEndPoint?[slots];
            _addresses.CopyTo(grown, 0);
            Volatile.Write(ref _addresses, grown);
        }
    }

    private bool OpenListener(ListenerRuntime listener, int[] inherited, int workerCount, List<(ListenerSocket Socket, int Worker)> opened)
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

            opened.Add((socket, Array.FindIndex(plan, fds => fds.Contains(i))));
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

            opened.Add((socket, worker));
            sockets.Add(socket.Fd);
            address = socket.BoundAddress;
        }

        // Copy on write: the admin API reads the array without a lock.
        var addresses = (IPEndPoint?[])_addresses.Clone();
        addresses[listener.Index] = address;
        Volatile.Write(ref _addresses, addresses);
        Volatile.Write(ref _offer, _offer.SetItem(listener.Index, new ListenerHandoff(listener.Name, listener.Config.Address.ToString(), [.. sockets])));
        return true;
    }

    private void CloseAll(List<(ListenerSocket Socket, int Worker)> opened)
    {
        foreach (var (socket, _) in opened)
        {
            socket.Close();
        }
    }
}
