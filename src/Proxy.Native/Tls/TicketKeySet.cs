using System.Collections.Immutable;

namespace MeshEdge.Native.Tls;

/// <summary>
/// The process's session-ticket keys: the newest encrypts new tickets, the others only decrypt (a
/// ticket under an older key resumes and is replaced by one under the newest). Immutable: a
/// rotation publishes a new set, which workers read through one volatile reference.
/// </summary>
internal sealed class TicketKeySet
{
    /// <summary>Keys kept for decryption besides the newest: a ticket lives one to two rotation periods.</summary>
    public const int PreviousKeys = 1;

    private TicketKeySet(ImmutableArray<TicketKey> keys) => Keys = keys;

    /// <summary>Newest first.</summary>
    public ImmutableArray<TicketKey> Keys { get; }

    public TicketKey Newest => Keys[0];

    public static TicketKeySet Fresh() => new([TicketKey.Generate()]);

    /// <summary>A set from keys handed over (newest first), trimmed to what a set keeps; null when none is usable.</summary>
    public static TicketKeySet? From(IEnumerable<TicketKey> keys)
    {
        var kept = keys.Take(PreviousKeys + 1).ToImmutableArray();
        return kept.IsEmpty ? null : new TicketKeySet(kept);
    }

    /// <summary>A new newest key in front; the oldest beyond <see cref="PreviousKeys"/> is dropped.</summary>
    public TicketKeySet Rotate() => new([TicketKey.Generate(), .. Keys.Take(PreviousKeys)]);

    /// <summary>The key whose name a ticket carries, and whether it is the newest; null when the ticket's key is gone.</summary>
    public TicketKey? Find(ReadOnlySpan<byte> name, out bool newest)
    {
        for (var i = 0; i < Keys.Length; i++)
        {
            if (Keys[i].Name.SequenceEqual(name))
            {
                newest = i == 0;
                return Keys[i];
            }
        }

        newest = false;
        return null;
    }
}
