using System.Buffers.Binary;
using System.Text;

namespace MeshEdge.Upgrade.Handoff;

/// <summary>
/// Framing of the hand-off protocol: <c>u32 length | u8 version | u8 type | payload</c>, big-endian,
/// with any fds riding on the frame's first byte. The version lets a newer binary take over from
/// an older one: the successor's Hello is always framed as version 1 and carries the highest
/// version it speaks; the running process answers in the lower of the two, and both keep to it.
/// A frame of a version above what a side speaks is refused with a reason. Version 2 adds the
/// migration of live connections (Connection .. MigrationDone); a version 1 peer never sees them, so
/// an old/new pair falls back to draining.
/// </summary>
internal static class HandoffMessage
{
    public const byte ProtocolVersion = 3;

    /// <summary>The first version that migrates live connections.</summary>
    public const byte MigrationVersion = 2;

    /// <summary>The first version that hands the TLS session-ticket keys over.</summary>
    public const byte TicketKeysVersion = 3;
    private const int HeaderLength = 6;
    private const int MaxPayload = 1 << 20;

    /// <summary>The largest payload a frame may carry.</summary>
    public const int MaxPayloadLength = MaxPayload;

    /// <summary>Sends one frame framed as <paramref name="version"/> (1 unless both sides agreed on more).</summary>
    public static void Send(FdChannel channel, HandoffMessageType type, ReadOnlySpan<byte> payload, ReadOnlySpan<int> fds = default, byte version = 1)
    {
        var frame = new byte[HeaderLength + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)(payload.Length + 2));
        frame[4] = version;
        frame[5] = (byte)type;
        payload.CopyTo(frame.AsSpan(HeaderLength));
        channel.Send(frame, fds);
    }

    /// <summary>Reads one frame; null at end of stream. Throws on a frame this version cannot read.</summary>
    public static (HandoffMessageType Type, byte[] Payload, int[] Fds)? Receive(FdChannel channel) =>
        Receive(channel, out _);

    /// <summary>As <see cref="Receive(FdChannel)"/>, also giving the version the frame was framed as.</summary>
    public static (HandoffMessageType Type, byte[] Payload, int[] Fds)? Receive(FdChannel channel, out byte version)
    {
        version = 0;
        Span<byte> header = stackalloc byte[HeaderLength];
        var fds = new int[FdChannel.MaxFdsPerMessage];
        if (!channel.ReceiveExactly(header, fds, out var fdCount))
        {
            return null;
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(header);
        if (header[4] is 0 or > ProtocolVersion)
        {
            throw new InvalidDataException($"hand-off protocol version {header[4]} is not supported (this binary speaks {ProtocolVersion})");
        }

        if (length < 2 || length - 2 > MaxPayload)
        {
            throw new InvalidDataException($"hand-off frame length {length} is out of range");
        }

        version = header[4];
        var payload = new byte[length - 2];
        if (payload.Length > 0)
        {
            if (!channel.ReceiveExactly(payload, fds.AsSpan(fdCount), out var more))
            {
                return null;
            }

            fdCount += more;
        }

        return ((HandoffMessageType)header[5], payload, fds[..fdCount]);
    }

    /// <summary>Listeners payload: u16 count, then per listener: name, address (u16 length + UTF-8), u16 fd count.</summary>
    public static byte[] EncodeListeners(IReadOnlyList<ListenerHandoff> listeners)
    {
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        WriteU16(writer, listeners.Count);
        foreach (var listener in listeners)
        {
            WriteString(writer, listener.Name);
            WriteString(writer, listener.Address);
            WriteU16(writer, listener.Fds.Length);
        }

        writer.Flush();
        return stream.ToArray();
    }

    /// <summary>Pairs the listener entries with the fds that came with the frame, in order.</summary>
    public static List<ListenerHandoff> DecodeListeners(byte[] payload, int[] fds)
    {
        var span = new ReadOnlySpan<byte>(payload);
        var count = ReadU16(ref span);
        var result = new List<ListenerHandoff>(count);
        var next = 0;
        for (var i = 0; i < count; i++)
        {
            var name = ReadString(ref span);
            var address = ReadString(ref span);
            var fdCount = ReadU16(ref span);
            if (next + fdCount > fds.Length)
            {
                throw new InvalidDataException($"listener {name} announces {fdCount} sockets but only {fds.Length - next} arrived");
            }

            result.Add(new ListenerHandoff(name, address, fds[next..(next + fdCount)]));
            next += fdCount;
        }

        return result;
    }

    private static void WriteU16(BinaryWriter writer, int value)
    {
        writer.Write((byte)(value >> 8));
        writer.Write((byte)value);
    }

    private static void WriteString(BinaryWriter writer, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        WriteU16(writer, bytes.Length);
        writer.Write(bytes);
    }

    private static int ReadU16(ref ReadOnlySpan<byte> span)
    {
        if (span.Length < 2)
        {
            throw new InvalidDataException("hand-off payload ends early");
        }

        var value = BinaryPrimitives.ReadUInt16BigEndian(span);
        span = span[2..];
        return value;
    }

    private static string ReadString(ref ReadOnlySpan<byte> span)
    {
        var length = ReadU16(ref span);
        if (span.Length < length)
        {
            throw new InvalidDataException("hand-off payload ends early");
        }

        var value = Encoding.UTF8.GetString(span[..length]);
        span = span[length..];
        return value;
    }
}
