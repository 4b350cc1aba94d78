using MeshEdge.Native.Hosting;

namespace MeshEdge.Native.Tls;

/// <summary>
/// The one session-ticket key set of the process, shared by every worker and every TLS listener:
/// made at start (or taken from the predecessor of a hot upgrade), rotated every
/// <see cref="RotationPeriod"/> by a timer, the previous key kept for decryption.
/// </summary>
internal static class TicketKeys
{
    /// <summary>How long a key seals new tickets; tickets stay good one period more (<see cref="TicketKeySet.PreviousKeys"/>).</summary>
    public static readonly TimeSpan RotationPeriod = TimeSpan.FromHours(1);

    private static volatile TicketKeySet? _current;
    private static Timer? _rotation;

    /// <summary>Null until <see cref="StartRotation"/> or <see cref="Adopt"/> (made only when TLS is in use: libcrypto makes them).</summary>
    public static TicketKeySet? Current => _current;

    /// <summary>Takes the keys a predecessor handed over (newest first), so that its tickets still resume here.</summary>
    public static void Adopt(TicketKeySet keys)
    {
        _current = keys;
        Log.Info("session ticket keys taken over", ("pid", Environment.ProcessId), ("keys", keys.Keys.Length));
    }

    public static void Rotate() => _current = _current?.Rotate() ?? TicketKeySet.Fresh();

    /// <summary>The keys, newest first, for a hot upgrade's successor; empty when no TLS listener ever used them.</summary>
    public static byte[] Encode() => _current is { } keys ? [.. keys.Keys.SelectMany(k => k.Bytes)] : [];

    /// <summary>Keys handed over by a predecessor (<see cref="Encode"/>'s layout); null when they are not whole keys.</summary>
    public static TicketKeySet? Decode(byte[] payload)
    {
        if (payload.Length == 0 || payload.Length % TicketKey.Length != 0)
        {
            return null;
        }

        return TicketKeySet.From(payload.Chunk(TicketKey.Length).Select(chunk => TicketKey.FromBytes(chunk)!));
    }

    /// <summary>Makes the first keys unless a predecessor's were adopted, and starts the rotation timer (once; the process's life long).</summary>
    public static void StartRotation()
    {
        _current ??= TicketKeySet.Fresh();
        _rotation ??= new Timer(_ => Rotate(), null, RotationPeriod, RotationPeriod);
    }
}
