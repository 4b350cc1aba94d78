using System.Buffers.Binary;
using System.Text;

namespace MeshEdge.Upgrade.Handoff;

/// <summary>The small payloads of the hand-off protocol (all but the listener list), big-endian like the framing.</summary>
internal static class HandoffPayloads
{
    /// <summary>Hello: <c>u8 highest version | u32 pid</c>.</summary>
    public static byte[] EncodeHello(byte highestVersion, int pid)
    {
        var payload = new byte[5];
        payload[0] = highestVersion;
        BinaryPrimitives.WriteInt32BigEndian(payload.AsSpan(1), pid);
        return payload;
    }

    public static (byte HighestVersion, int Pid) DecodeHello(byte[] payload)
    {
        // Later versions may append fields; what version 1 needs is always first.
        Require(payload, 5, "hello");
        return (payload[0], BinaryPrimitives.ReadInt32BigEndian(payload.AsSpan(1)));
    }

    /// <summary>HandoffSocket: <c>u32 pid | UTF-8 path</c>, the socket's fd attached.</summary>
    public static byte[] EncodeHandoffSocket(int pid, string path)
    {
        var payload = new byte[4 + Encoding.UTF8.GetByteCount(path)];
        BinaryPrimitives.WriteInt32BigEndian(payload, pid);
        Encoding.UTF8.GetBytes(path, payload.AsSpan(4));
        return payload;
    }

    public static (int Pid, string Path) DecodeHandoffSocket(byte[] payload)
    {
        Require(payload, 4, "hand-off socket");
        return (BinaryPrimitives.ReadInt32BigEndian(payload), Encoding.UTF8.GetString(payload.AsSpan(4)));
    }

    /// <summary>Draining: <c>u32 connections</c> the running process has left to drain.</summary>
    public static byte[] EncodeCount(int count)
    {
        var payload = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(payload, count);
        return payload;
    }

    public static int DecodeCount(byte[] payload)
    {
        Require(payload, 4, "count");
        return BinaryPrimitives.ReadInt32BigEndian(payload);
    }

    public static byte[] EncodeText(string text) => Encoding.UTF8.GetBytes(text);

    public static string DecodeText(byte[] payload) => Encoding.UTF8.GetString(payload);

    private static void Require(byte[] payload, int length, string what)
    {
        if (payload.Length < length)
        {
            throw new InvalidDataException($"hand-off {what} payload has {payload.Length} bytes, expected at least {length}");
        }
    }
}
