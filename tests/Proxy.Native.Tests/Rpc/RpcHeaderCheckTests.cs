using System.Buffers.Binary;
using System.Net.Sockets;
using static MeshEdge.Native.Tests.Rpc.BoltSocketCalls;

namespace MeshEdge.Native.Tests.Rpc;

/// <summary>
/// The frame reader leaves a request's header map to the routing step, whose one walk for the names
/// checks it (or which finds it byte for byte equal to the last block it routed, a checked one). So a
/// request whose map overruns must still close its connection as malformed, counted, and nothing
/// else of it counted: whether or not a sound block was remembered before it.
/// </summary>
public sealed class RpcHeaderCheckTests
{
    private const string Service = "com.meshedge.Echo:1.0";
    private const string RoutesToA = """routes = [ { match = { service_prefix = "com.meshedge." }, cluster = "a" } ]""";

    [Fact]
    public void A_request_whose_header_map_overruns_closes_its_connection_after_sound_ones_were_routed()
    {
        using var upstream = new BoltEchoUpstream();
        using var proxy = new RpcWorkerHarness(RoutesToA, upstream.EndPoint);
        using var client = Connect(proxy);
        for (uint id = 1; id <= 3; id++)
        {
            Assert.Equal(0, Call(client, BoltWire.Request(id, Service), id));
        }

        // The same request but for the service value's length, which now runs past the header map.
        var bad = BoltWire.Request(4, Service);
        var valueLengthAt = BoltWire.RequestHeaderLength + BinaryPrimitives.ReadUInt16BigEndian(bad.AsSpan(14)) + 4 + "service".Length;
        BinaryPrimitives.WriteInt32BigEndian(bad.AsSpan(valueLengthAt), Service.Length + 100);
        client.Send(bad);

        Assert.True(ClosedByPeer(client), "the proxy kept the connection of a request whose header map overruns");
        var stats = proxy.OnWorker(proxy.Factory.MergeListenerStats);
        Assert.Equal(1, stats.MalformedFrames);
        Assert.Equal(3, stats.Requests);
        Assert.Equal(0, stats.Active);
        Assert.Equal(3, upstream.Answered);
        var methods = proxy.OnWorker(proxy.Factory.MergeMethodStats);
        Assert.Equal(3, Assert.Single(methods).Requests);
    }

    [Fact]
    public void A_first_request_whose_header_map_overruns_closes_its_connection()
    {
        using var upstream = new BoltEchoUpstream();
        using var proxy = new RpcWorkerHarness(RoutesToA, upstream.EndPoint);
        using var client = Connect(proxy);

        // An extra entry whose key claims more bytes than the map has left.
        var bad = BoltWire.Request(1, Service, ("zone", "x"));
        var keyLengthAt = bad.Length - 3 - (4 + "x".Length) - (4 + "zone".Length);
        BinaryPrimitives.WriteInt32BigEndian(bad.AsSpan(keyLengthAt), 1000);
        client.Send(bad);

        Assert.True(ClosedByPeer(client), "the proxy kept the connection of a request whose header map overruns");
        var stats = proxy.OnWorker(proxy.Factory.MergeListenerStats);
        Assert.Equal(1, stats.MalformedFrames);
        Assert.Equal(0, stats.Requests);
        Assert.Equal(0, stats.Active);
        Assert.Equal(0, upstream.Answered);
    }

    /// <summary>True when the proxy closed (or reset) the connection without sending anything more.</summary>
    private static bool ClosedByPeer(Socket client)
    {
        try
        {
            return client.Receive(new byte[64]) == 0;
        }
        catch (SocketException error) when (error.SocketErrorCode == SocketError.ConnectionReset)
        {
            return true;
        }
    }
}
