using System.Buffers.Binary;
using System.Text;

namespace MeshEdge.Upgrade.Handoff;

/// <summary>The payloads of the version 2 migration messages, big-endian like the framing.</summary>
internal static class MigrationPayloads
{
    /// <summary>Header bytes of a Connection payload besides the names and the pending bytes.</summary>
    private const int ConnectionOverhead = 2 + 2 + 4;

    /// <summary>The most unprocessed bytes one Connection frame carries: half a frame leaves room for any names.</summary>
    public static int MaxPendingBytes => HandoffMessage.MaxPayloadLength / 2;

    /// <summary>Connection: <c>u16 length + UTF-8 listener | u16 length + UTF-8 protocol | u32 length + pending bytes</c>.</summary>
    public static byte[] EncodeConnection(string listener, string protocol, ReadOnlySpan<byte> pending)
    {
        var listenerBytes = Encoding.UTF8.GetBytes(listener);
        var protocolBytes = Encoding.UTF8.GetBytes(protocol);
        var payload = new byte[ConnectionOverhead + listenerBytes.Length + protocolBytes.Length + pending.Length];
        var span = payload.AsSpan();
        WriteBytes(ref span, listenerBytes, lengthBytes: 2);
        WriteBytes(ref span, protocolBytes, lengthBytes: 2);
        WriteBytes(ref span, pending, lengthBytes: 4);
        return payload;
    }

    public static (string Listener, string Protocol, byte[] Pending) DecodeConnection(byte[] payload)
    {
        var span = new ReadOnlySpan<byte>(payload);
        var listener = Encoding.UTF8.GetString(ReadBytes(ref span, lengthBytes: 2));
        var protocol = Encoding.UTF8.GetString(ReadBytes(ref span, lengthBytes: 2));
        var pending = ReadBytes(ref span, lengthBytes: 4).ToArray();
        return (listener, protocol, pending);
    }

    /// <summary>Ready (version 2): <c>u16 count | per listener: u16 length + UTF-8 name, u16 length + UTF-8 protocol</c>.</summary>
    public static byte[] EncodeAdoptable(IReadOnlyList<AdoptableListener> listeners)
    {
        var parts = listeners.Select(l => (Name: Encoding.UTF8.GetBytes(l.Name), Protocol: Encoding.UTF8.GetBytes(l.Protocol))).ToList();
        var payload = new byte[2 + parts.Sum(p => 4 + p.Name.Length + p.Protocol.Length)];
        BinaryPrimitives.WriteUInt16BigEndian(payload, checked((ushort)parts.Count));
        var span = payload.AsSpan(2);
        foreach (var (name, protocol) in parts)
        {
            WriteBytes(ref span, name, lengthBytes: 2);
            WriteBytes(ref span, protocol, lengthBytes: 2);
        }

        return payload;
    }

    /// <summary>An empty Ready (version 1, or nothing to adopt) is an empty list.</summary>
    public static List<AdoptableListener> DecodeAdoptable(byte[] payload)
    {
        var result = new List<AdoptableListener>();
        if (payload.Length < 2)
        {
            return result;
        }

        var span = new ReadOnlySpan<byte>(payload);
        var count = BinaryPrimitives.ReadUInt16BigEndian(span);
        span = span[2..];
        for (var i = 0; i < count; i++)
        {
            var name = Encoding.UTF8.GetString(ReadBytes(ref span, lengthBytes: 2));
            var protocol = Encoding.UTF8.GetString(ReadBytes(ref span, lengthBytes: 2));
            result.Add(new AdoptableListener(name, protocol));
        }

        return result;
    }

    /// <summary>MigrationDone: <c>u32 migrated | u32 failed</c>.</summary>
    public static byte[] EncodeDone(int migrated, int failed)
    {
        var payload = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(payload, migrated);
        BinaryPrimitives.WriteInt32BigEndian(payload.AsSpan(4), failed);
        return payload;
    }

    public static (int Migrated, int Failed) DecodeDone(byte[] payload) =>
        payload.Length < 8
            ? throw new InvalidDataException($"hand-off migration-done payload has {payload.Length} bytes, expected 8")
            : (BinaryPrimitives.ReadInt32BigEndian(payload), BinaryPrimitives.ReadInt32BigEndian(payload.AsSpan(4)));

    private static void WriteBytes(ref Span<byte> span, ReadOnlySpan<byte> bytes, int lengthBytes)
    {
        if (lengthBytes == 2)
        {
            BinaryPrimitives.WriteUInt16BigEndian(span, checked((ushort)bytes.Length));
        }
        else
        {
            BinaryPrimitives.WriteInt32BigEndian(span, bytes.Length);
        }

        bytes.CopyTo(span[lengthBytes..]);
        span = span[(lengthBytes + bytes.Length)..];
    }

    private static ReadOnlySpan<byte> ReadBytes(ref ReadOnlySpan<byte> span, int lengthBytes)
    {
        if (span.Length < lengthBytes)
        {
            throw new InvalidDataException("hand-off connection payload ends early");
        }

        var length = lengthBytes == 2 ? BinaryPrimitives.ReadUInt16BigEndian(span) : BinaryPrimitives.ReadInt32BigEndian(span);
        if (length < 0 || span.Length - lengthBytes < length)
        {
            throw new InvalidDataException("hand-off connection payload ends early");
        }

        var bytes = span.Slice(lengthBytes, length);
        span = span[(lengthBytes + length)..];
        return bytes;
    }
}
