using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Http2Downstream;

/// <summary>
/// RFC 9113 §6.5.3: a client that never acknowledges the proxy's SETTINGS gets GOAWAY
/// SETTINGS_TIMEOUT once the listener's <c>http2_settings_timeout</c> has passed, and its connection
/// closes; a client that acknowledged them keeps its connection. Frames written by hand: no client library
/// can be told to withhold the ACK.
/// </summary>
public sealed class Http2SettingsTimeoutTests(ITestOutputHelper output)
{
    private const byte Settings = 0x4;
    private const byte Ping = 0x6;
    private const byte GoAway = 0x7;
    private const byte Ack = 0x1;
    private const uint SettingsTimeoutCode = 0x4;

    // Shorter than the 10 s default, so that the key is what sets it.
    private static readonly TimeSpan SettingsTimeout = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task A_client_that_never_acks_our_settings_gets_goaway_settings_timeout_and_one_that_acked_stays()
    {
        var unused = new IPEndPoint(IPAddress.Loopback, 9);
        await using var proxy = await ProxyProcess.StartTomlAsync(
            HttpToml.CatchAllConfig(HttpToml.Cluster("app", unused), http: $"http2_settings_timeout = \"{SettingsTimeout.TotalSeconds}s\""), output);
        var listener = proxy.ListenerAddress();

        using var silent = await OpenAsync(listener);
        using var polite = await OpenAsync(listener);
        var clock = Stopwatch.StartNew();

        // The polite client acknowledges the proxy's SETTINGS as soon as they come; the silent one never does.
        var politeFrame = await ReadFrameAsync(polite);
        Assert.Equal((Settings, (byte)0), (politeFrame.Type, politeFrame.Flags));
        await polite.GetStream().WriteAsync(Frame(Settings, Ack, []));

        var goAway = await ReadUntilAsync(silent, GoAway, TimeSpan.FromSeconds(40));
        var waited = clock.Elapsed;
        Assert.True(goAway.Payload.Length >= 8, $"GOAWAY with {goAway.Payload.Length} bytes of payload");
        Assert.Equal(SettingsTimeoutCode, BinaryPrimitives.ReadUInt32BigEndian(goAway.Payload.AsSpan(4)));
        Assert.True(waited >= SettingsTimeout * 0.8, $"GOAWAY SETTINGS_TIMEOUT after only {waited.TotalSeconds:F1} s (the timeout is {SettingsTimeout.TotalSeconds} s)");
        Assert.Equal(0, await silent.GetStream().ReadAsync(new byte[64]).AsTask().WaitAsync(TimeSpan.FromSeconds(30)));

        // Past the timeout, the polite client's connection still answers a PING.
        await polite.GetStream().WriteAsync(Frame(Ping, 0, new byte[8]));
        var pong = await ReadUntilAsync(polite, Ping, TimeSpan.FromSeconds(30));
        Assert.Equal(Ack, pong.Flags);
    }

    private static async Task<TcpClient> OpenAsync(IPEndPoint listener)
    {
        var client = new TcpClient();
        await client.ConnectAsync(listener);
        var hello = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray().Concat(Frame(Settings, 0, [])).ToArray();
        await client.GetStream().WriteAsync(hello);
        return client;
    }

    private static byte[] Frame(byte type, byte flags, byte[] payload)
    {
        var frame = new byte[9 + payload.Length];
        frame[0] = (byte)(payload.Length >> 16);
        frame[1] = (byte)(payload.Length >> 8);
        frame[2] = (byte)payload.Length;
        frame[3] = type;
        frame[4] = flags;
        payload.CopyTo(frame, 9);
        return frame;
    }

    private static async Task<(byte Type, byte Flags, byte[] Payload)> ReadUntilAsync(TcpClient client, byte type, TimeSpan limit)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var frame = await ReadFrameAsync(client).WaitAsync(limit - deadline.Elapsed);
            if (frame.Type == type)
            {
                return frame;
            }
        }
    }

    private static async Task<(byte Type, byte Flags, byte[] Payload)> ReadFrameAsync(TcpClient client)
    {
        var head = new byte[9];
        await client.GetStream().ReadExactlyAsync(head);
        var payload = new byte[(head[0] << 16) | (head[1] << 8) | head[2]];
        await client.GetStream().ReadExactlyAsync(payload);
        return (head[3], head[4], payload);
    }
}
